"""Teams conversation references (`teams_conversations`) kept for proactive messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TeamsConversation


async def mark_unreachable(
    session: AsyncSession, *, address: str, reason: str, now: datetime
) -> None:
    """Record that nothing can be sent to `address` now, and why."""
    await session.execute(
        update(TeamsConversation)
        .where(TeamsConversation.address == address)
        .values(reachable=False, unreachable_reason=reason[:200], updated_at=now)
    )
