"""The journey alone (no points, badges or review) on a fake clock, and the mini program."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.content import Catalog
from bot.core.acting import CurrentActor
from bot.core.middleware import ErrorReplies, Router
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from storage.db import Database
from storage.models import Enrollment, Person
from tests.clock import FakeClock
from tests.driver import Learner

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
"""Monday 1 March 2027, 09:00 UTC."""
PASSING = ("b", "a, c", "true", "72", "sbi")
"""Right answers to the mini quiz's exact questions, in order (the essay waits for a person)."""


def copy_mini(root: Path, *, essay: bool = True) -> Path:
    """The mini library under `root` to edit (without the essay: every answer is exact)."""
    shutil.copytree(FIXTURE, root)
    if not essay:
        quiz = root / "quizzes" / "mini" / "check.yaml"
        quiz.write_text(quiz.read_text().split("  - id: essay")[0])
    return root


@dataclass
class Desk:
    """The journey as a channel drives it, with its hooks to subscribe to and its clock."""

    database: Database
    catalog: Catalog
    hooks: Hooks
    clock: FakeClock
    router: Router

    def learner(self, name: str) -> Learner:
        return Learner(self.router, name)

    async def rows(self, model: Any, *where: Any) -> list[Any]:
        async with self.database.transaction() as session:
            return list(await session.scalars(select(model).where(*where).order_by(model.id)))

    async def enrollment(self, name: str) -> Enrollment:
        """The (one) enrollment of the learner `name`."""
        async with self.database.transaction() as session:
            found = await session.scalar(
                select(Enrollment).join(Person).where(Person.display_name == name.title())
            )
        assert found is not None, f"{name} is not enrolled"
        return found


def desk(database: Database, catalog: Catalog, clock: FakeClock | None = None) -> Desk:
    hooks = Hooks()
    clock = clock or FakeClock(START)
    journey = Journey(database, catalog, hooks=hooks, clock=clock)
    router = Router(journey, [ErrorReplies(), CurrentActor()])
    return Desk(database, catalog, hooks, clock, router)
