"""Due engagement posts: planned once by key, claimed by one sweeper, then done or retried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EngagementDue, EngagementDueStatus
from storage.queries.engagement.ledger import dialect_insert


@dataclass(frozen=True)
class DueRow:
    id: int
    key: str
    workspace_id: str
    kind: str
    challenge_id: int | None
    channel: str
    program_id: str
    period: str
    due_at: datetime
    tries: int


def _row(due: EngagementDue) -> DueRow:
    return DueRow(
        due.id,
        due.key,
        due.workspace_id,
        due.kind,
        due.challenge_id,
        due.channel,
        due.program_id,
        due.period,
        due.due_at,
        due.tries,
    )


async def plan_due(session: AsyncSession, *, rows: list[dict[str, Any]]) -> int:
    """Add due rows whose keys are new; returns how many were added."""
    if not rows:
        return 0
    stmt = (
        dialect_insert(session)(EngagementDue)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(EngagementDue.id)
    )
    return len((await session.execute(stmt)).all())


async def due_now(
    session: AsyncSession, *, now: datetime, stale: timedelta, limit: int
) -> list[DueRow]:
    """Pending rows due by `now`, and claimed ones whose sweeper vanished, oldest first."""
    rows = await session.scalars(
        select(EngagementDue)
        .where(
            EngagementDue.due_at <= now,
            or_(
                EngagementDue.status == EngagementDueStatus.PENDING,
                (EngagementDue.status == EngagementDueStatus.RUNNING)
                & (EngagementDue.claimed_at < now - stale),
            ),
        )
        .order_by(EngagementDue.due_at, EngagementDue.id)
        .limit(limit)
    )
    return [_row(d) for d in rows]


async def claim(session: AsyncSession, *, due_id: int, now: datetime, stale: timedelta) -> bool:
    """Take the row for this sweeper; False when another one has it."""
    result = await session.execute(
        update(EngagementDue)
        .where(
            EngagementDue.id == due_id,
            or_(
                EngagementDue.status == EngagementDueStatus.PENDING,
                (EngagementDue.status == EngagementDueStatus.RUNNING)
                & (EngagementDue.claimed_at < now - stale),
            ),
        )
        .values(status=EngagementDueStatus.RUNNING, claimed_at=now, tries=EngagementDue.tries + 1)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def finish(
    session: AsyncSession,
    *,
    due_id: int,
    now: datetime,
    status: EngagementDueStatus,
    ref: str | None,
    error: str,
) -> None:
    await session.execute(
        update(EngagementDue)
        .where(EngagementDue.id == due_id)
        .values(status=status, done_at=now, ref=ref, last_error=error[:500])
    )


async def retry_later(session: AsyncSession, *, due_id: int, at: datetime, error: str) -> None:
    await session.execute(
        update(EngagementDue)
        .where(EngagementDue.id == due_id)
        .values(
            status=EngagementDueStatus.PENDING, due_at=at, claimed_at=None, last_error=error[:500]
        )
    )


async def cancel_for(session: AsyncSession, *, challenge_id: int) -> None:
    await session.execute(
        update(EngagementDue)
        .where(
            EngagementDue.challenge_id == challenge_id,
            EngagementDue.status == EngagementDueStatus.PENDING,
        )
        .values(status=EngagementDueStatus.CANCELLED)
    )
