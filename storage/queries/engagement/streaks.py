"""Streaks: an enrollment's row (created on first use, locked), and a person's best one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enrollment, Streak
from storage.prebuilt import per_dialect
from storage.queries.engagement.ledger import dialect_insert
from storage.queries.learner import streak_saved

_STREAK_FIELDS = ("current", "best", "last_slot_at", "excused_from", "excused_until", "updated_at")


def _build_upsert(insert: Any) -> Any:
    statement = insert(Streak.__table__)
    return statement.on_conflict_do_update(
        index_elements=["enrollment_id"],
        set_={name: statement.excluded[name] for name in _STREAK_FIELDS},
    )


_upsert_streak = per_dialect(_build_upsert)


async def locked_streak(session: AsyncSession, *, enrollment_id: int, person_id: int) -> Streak:
    """The enrollment's streak row, inserted at zero if missing, locked and freshly read."""
    first = dialect_insert(session)(Streak).values(
        enrollment_id=enrollment_id, person_id=person_id, current=0, best=0
    )
    await session.execute(first.on_conflict_do_nothing(index_elements=["enrollment_id"]))
    row = await session.get(Streak, enrollment_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def save_streak(
    session: AsyncSession,
    *,
    enrollment_id: int,
    person_id: int,
    state: tuple[int, int, datetime | None, datetime | None, datetime | None],
    at: datetime,
) -> None:
    """Write an enrollment's streak (current, best, last slot, excused from and until) in one
    upsert."""
    current, best, last_slot_at, excused_from, excused_until = state
    values = dict(
        enrollment_id=enrollment_id,
        person_id=person_id,
        current=current,
        best=best,
        last_slot_at=last_slot_at,
        excused_from=excused_from,
        excused_until=excused_until,
        updated_at=at,
    )
    await session.execute(_upsert_streak(session), values)
    streak_saved(session, enrollment_id=enrollment_id, values=state)


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
