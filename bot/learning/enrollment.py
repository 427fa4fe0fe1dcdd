"""Enrolling people in programs, directly or through a cohort."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from storage.models import Enrollment, EnrollmentStatus, Person
from storage.queries import enrollments
from storage.queries.runs import enrollment_in
from storage.types import utcnow


async def enroll(
    session: AsyncSession,
    *,
    person: Person,
    program: Program,
    cohort_id: int | None = None,
) -> tuple[Enrollment, bool]:
    """The person's enrollment in `program`, created if new; returns (enrollment, created)."""
    existing = await enrollment_in(session, person_id=person.id, program_id=program.id)
    if existing is not None:
        if cohort_id is not None and existing.cohort_id is None:
            existing.cohort_id = cohort_id
        return existing, False
    now = utcnow()
    enrollment = Enrollment(
        workspace_id=person.workspace_id,
        person_id=person.id,
        program_id=program.id,
        program_hash=program.hash,
        cohort_id=cohort_id,
        status=EnrollmentStatus.ACTIVE,
        cursor_step=program.steps[0].key,
        cursor_part=0,
        cursor_shown=False,
        quiz_run=0,
        started_at=now,
        touched_at=now,
    )
    session.add(enrollment)
    await session.flush()
    return enrollment, True


async def enrollments_of(session: AsyncSession, *, person_id: int) -> list[Enrollment]:
    """A person's enrollments, most recently active first."""
    return await enrollments.enrollments_of(session, person_id=person_id)
