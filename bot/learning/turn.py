"""One learner's turn: the session, the person and their enrollments."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.scoring import ExactScorer, Scorer
from bot.content import Catalog, Program
from bot.core.clock import SYSTEM_CLOCK
from bot.core.copy import t
from bot.core.errors import BadRequest, CannotProceed
from bot.core.ports import Clock, Events, NoSubscribers
from bot.learning.enrollment import enrollments_of
from storage.models import UNDERWAY, Enrollment, Person


@dataclass
class Turn:
    session: AsyncSession
    person: Person
    catalog: Catalog
    hooks: Events = field(default_factory=NoSubscribers)
    """Where the turn's events go (the journey's `Hooks`)."""
    scorer: Scorer = field(default_factory=ExactScorer)
    channel: str = ""
    """The shared channel the person acted in ('' in a DM), e.g. where a challenge goes."""
    clock: Clock = field(default=SYSTEM_CLOCK)

    async def enrollments(self) -> list[Enrollment]:
        return await enrollments_of(self.session, person_id=self.person.id)

    async def enrollment(self, enrollment_id: str | int | None = None) -> Enrollment | None:
        """The named enrollment (it must be this person's), else the most recent open one."""
        if enrollment_id not in (None, ""):
            found = await self.session.get(Enrollment, int(enrollment_id))
            if found is None or found.person_id != self.person.id:
                raise BadRequest(t("turn.not_your_lesson"))
            return found
        rows = await self.enrollments()
        return next((e for e in rows if e.status in UNDERWAY), rows[0] if rows else None)

    def program(self, enrollment: Enrollment) -> Program:
        program = self.catalog.get(enrollment.program_id)
        if program is None:
            raise CannotProceed(t("turn.program_unavailable", program=enrollment.program_id))
        return program
