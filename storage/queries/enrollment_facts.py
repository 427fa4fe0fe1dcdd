"""What the planner, the tick and engagement read about enrollments: each enrollment with its
learner's settings and its cohort, in one query."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Cohort, Enrollment, Person, RecallCard, RecallStatus, Streak
from storage.queries.learner import known_context

FACT_COLUMNS = (
    Enrollment.id,
    Enrollment.workspace_id,
    Enrollment.person_id,
    Enrollment.program_id,
    Enrollment.status,
    Enrollment.started_at,
    Enrollment.cadence,
    Person.cadence,
    Person.timezone,
    Person.quiet_hours,
    Cohort.cadence,
    Cohort.due_date,
)
"""Enrollment id, workspace, person, program, status, start, enrollment cadence, the
learner's cadence, time zone and quiet hours, the cohort's cadence and due date."""


def _facts() -> Select[*tuple[Any, ...]]:
    return (
        select(*FACT_COLUMNS)
        .join(Person, Person.id == Enrollment.person_id)
        .outerjoin(Cohort, Cohort.id == Enrollment.cohort_id)
    )


def _facts_of(enrollment: Enrollment, person: Person, cohort: Cohort | None) -> tuple[Any, ...]:
    """The same facts from rows already loaded (a cohort's columns are None without one)."""
    rows: dict[Any, Any] = {Enrollment: enrollment, Person: person, Cohort: cohort}
    return tuple(
        getattr(rows[column.class_], column.key) if rows[column.class_] is not None else None
        for column in FACT_COLUMNS
    )


async def facts_rows(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> list[Row[*tuple[Any, ...]]]:
    """The facts of these enrollments."""
    return list(await session.execute(_facts().where(Enrollment.id.in_(enrollment_ids))))


async def facts_row(session: AsyncSession, *, enrollment_id: int) -> Row[*tuple[Any, ...]]:
    """The facts of one enrollment (it must exist)."""
    return (await session.execute(_facts().where(Enrollment.id == enrollment_id))).one()


async def facts_with_streak(
    session: AsyncSession, *, enrollment_id: int
) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """The facts of one enrollment and its streak's (current, best, last slot, excused from,
    excused until), or None before its first streak, in one query (none when the turn loaded
    them: `storage/queries/learner.py`)."""
    known = known_context(session, enrollment_id=enrollment_id)
    enrollment = await session.get(Enrollment, enrollment_id) if known else None
    person = await session.get(Person, enrollment.person_id) if enrollment else None
    if known is not None and enrollment is not None and person is not None:
        cohort, streak_values = known
        return _facts_of(enrollment, person, cohort), streak_values
    streak = (
        Streak.enrollment_id,
        Streak.current,
        Streak.best,
        Streak.last_slot_at,
        Streak.excused_from,
        Streak.excused_until,
    )
    query = (
        _facts()
        .add_columns(*streak)
        .outerjoin(Streak, Streak.enrollment_id == Enrollment.id)
        .where(Enrollment.id == enrollment_id)
    )
    row = (await session.execute(query)).one()
    width = len(row) - len(streak)
    facts, found = tuple(row[:width]), tuple(row[width + 1 :])
    return facts, found if row[width] is not None else None


async def program_facts_rows(
    session: AsyncSession, *, program_id: str, person_ids: Collection[int]
) -> list[Row[*tuple[Any, ...]]]:
    """The facts of these people's enrollments in one program."""
    rows = await session.execute(
        _facts().where(Enrollment.program_id == program_id, Enrollment.person_id.in_(person_ids))
    )
    return list(rows)


async def plannable_facts_rows(
    session: AsyncSession, *, after_id: int, limit: int, statuses: Collection[str]
) -> list[Row[*tuple[Any, ...]]]:
    """A page of facts by enrollment id after `after_id`: enrollments in `statuses`, and any
    other that still has an active review card."""
    carded = exists().where(
        RecallCard.enrollment_id == Enrollment.id, RecallCard.status == RecallStatus.ACTIVE
    )
    rows = await session.execute(
        _facts()
        .where(
            Enrollment.id > after_id,
            or_(Enrollment.status.in_(statuses), carded),
        )
        .order_by(Enrollment.id)
        .limit(limit)
    )
    return list(rows)
