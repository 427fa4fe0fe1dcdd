"""Cohorts: a program assigned to a group, with a due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Cohort,
    CohortMember,
    Enrollment,
)


@dataclass(frozen=True)
class CohortRow:
    name: str
    program_id: str
    due_date: date | None
    cadence: str | None
    members: int
    completed: int


async def cohort_by_name(session: AsyncSession, *, workspace_id: str, name: str) -> Cohort | None:
    return await session.scalar(
        select(Cohort).where(Cohort.workspace_id == workspace_id, Cohort.name == name)
    )


async def create_cohort(
    session: AsyncSession,
    *,
    workspace_id: str,
    name: str,
    program_id: str,
    due_date: date | None = None,
    cadence: str | None = None,
) -> Cohort:
    cohort = Cohort(
        workspace_id=workspace_id,
        name=name,
        program_id=program_id,
        due_date=due_date,
        cadence=cadence,
    )
    session.add(cohort)
    await session.flush()
    return cohort


async def add_cohort_member(session: AsyncSession, *, cohort_id: int, person_id: int) -> bool:
    """Add the person to the cohort; False if they were already in it."""
    if await session.get(CohortMember, (cohort_id, person_id)) is not None:
        return False
    session.add(CohortMember(cohort_id=cohort_id, person_id=person_id))
    await session.flush()
    return True


async def cohort_rows(session: AsyncSession, *, workspace_id: str) -> list[CohortRow]:
    """Every cohort of the workspace with its member and completion counts."""
    members = (
        select(func.count())
        .select_from(CohortMember)
        .where(CohortMember.cohort_id == Cohort.id)
        .scalar_subquery()
    )
    completed = (
        select(func.count())
        .select_from(CohortMember)
        .join(Enrollment, Enrollment.person_id == CohortMember.person_id)
        .where(
            CohortMember.cohort_id == Cohort.id,
            Enrollment.program_id == Cohort.program_id,
            Enrollment.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Cohort, members, completed)
        .where(Cohort.workspace_id == workspace_id)
        .order_by(Cohort.name)
    )
    return [CohortRow(c.name, c.program_id, c.due_date, c.cadence, m, done) for c, m, done in rows]
