"""The local inbox's rows: scheduled messages for playground and terminal learners."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxMessage


async def inbox_message_id(session: AsyncSession, *, key: str) -> int | None:
    """The id of the inbox message stored under `key`, if any."""
    return await session.scalar(select(InboxMessage.id).where(InboxMessage.key == key))


async def set_inbox_message(session: AsyncSession, *, row_id: int, message: Any) -> None:
    """Replace the stored (dumped) message of one inbox row."""
    await session.execute(
        update(InboxMessage).where(InboxMessage.id == row_id).values(message=message)
    )


async def inbox_rows_since(
    session: AsyncSession, *, identity: str, after: int, limit: int
) -> list[tuple[int, Any]]:
    """(id, dumped message) of an identity's inbox messages newer than id `after`, oldest first."""
    rows = await session.execute(
        select(InboxMessage.id, InboxMessage.message)
        .where(InboxMessage.identity == identity, InboxMessage.id > after)
        .order_by(InboxMessage.id)
        .limit(limit)
    )
    return [(int(row_id), data) for row_id, data in rows]
