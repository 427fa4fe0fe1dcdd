"""Streaks: an enrollment's row (created on first use, locked), and a person's best one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enrollment, Streak
from storage.queries.engagement.ledger import dialect_insert


async def locked_streak(session: AsyncSession, *, enrollment_id: int, person_id: int) -> Streak:
    """The enrollment's streak row, inserted at zero if missing, locked and freshly read."""
    first = dialect_insert(session)(Streak).values(
        enrollment_id=enrollment_id, person_id=person_id, current=0, best=0
    )
    await session.execute(first.on_conflict_do_nothing(index_elements=["enrollment_id"]))
    row = await session.get(Streak, enrollment_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def top_streak(session: AsyncSession, *, person_id: int) -> tuple[int, int, str] | None:
    """(current, best, program id) of the person's longest running streak (the most recently
    updated among equals), if they have any."""
    row = (
        await session.execute(
            select(Streak.current, Streak.best, Enrollment.program_id)
            .join(Enrollment, Enrollment.id == Streak.enrollment_id)
            .where(Streak.person_id == person_id)
            .order_by(Streak.current.desc(), Streak.updated_at.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))
