"""The outbox's backlog over the whole database: rows waiting per status, the oldest one due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus

WAITING = (OutboxStatus.PENDING, OutboxStatus.CLAIMED)


@dataclass(frozen=True)
class Backlog:
    """Unsent outbox rows by status, and when the longest-overdue one fell due (None: none)."""

    depth: dict[str, int] = field(default_factory=dict)
    oldest_due: datetime | None = None


async def outbox_backlog(session: AsyncSession, *, now: datetime) -> Backlog:
    """Two statements, whatever the size of the outbox (the status/due_at index serves both)."""
    counts = await session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_(WAITING))
        .group_by(OutboxMessage.status)
    )
    depth = {str(status): 0 for status in WAITING}
    depth.update({str(status): int(count) for status, count in counts.all()})
    oldest = await session.scalar(
        select(func.min(OutboxMessage.due_at)).where(
            OutboxMessage.status.in_(WAITING), OutboxMessage.due_at <= now
        )
    )
    return Backlog(depth=depth, oldest_due=oldest)
