"""Peer review's posts: queued in the deciding transaction, claimed, sent, edited when stale."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PeerPost, PostStatus


async def add_post(session: AsyncSession, post: PeerPost) -> PeerPost | None:
    """Queue a post unless its key exists (a retried decision); None when it did."""
    try:
        async with session.begin_nested():
            session.add(post)
    except IntegrityError:
        return None
    return post


async def parents(session: AsyncSession, *, submission_id: int) -> list[PeerPost]:
    rows = await session.scalars(
        select(PeerPost)
        .where(PeerPost.submission_id == submission_id, PeerPost.kind == "parent")
        .order_by(PeerPost.id)
    )
    return list(rows)


async def mark_stale(session: AsyncSession, *, submission_id: int) -> None:
    """Every parent of the submission shows an old status: edit it (or draw it when sent)."""
    await session.execute(
        update(PeerPost)
        .where(PeerPost.submission_id == submission_id, PeerPost.kind == "parent")
        .values(stale=True)
    )


async def due_posts(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[int]:
    """Posts to send (or whose lease ran out) and sent parents to edit, oldest first."""
    rows = await session.scalars(
        select(PeerPost.id)
        .where(
            or_(
                (PeerPost.status == PostStatus.PENDING) & (PeerPost.next_try_at <= now),
                (PeerPost.status == PostStatus.SENDING) & (PeerPost.lease_until < now),
                (PeerPost.status == PostStatus.SENT) & PeerPost.stale.is_(True),
            )
        )
        .order_by(PeerPost.id)
        .limit(limit)
    )
    return list(rows)


async def claim(
    session: AsyncSession, *, post_id: int, now: datetime, lease: timedelta
) -> PeerPost | None:
    """Take a post for sending (or a sent parent for editing); None when another has it.

    Writes first, so on SQLite the transaction holds the write lock before it reads.
    """
    claimed = await session.execute(
        update(PeerPost)
        .where(
            PeerPost.id == post_id,
            or_(
                PeerPost.status == PostStatus.PENDING,
                (PeerPost.status == PostStatus.SENDING) & (PeerPost.lease_until < now),
            ),
        )
        .values(status=PostStatus.SENDING, lease_until=now + lease, tries=PeerPost.tries + 1)
    )
    if not getattr(claimed, "rowcount", 0):
        claimed = await session.execute(
            update(PeerPost)
            .where(
                PeerPost.id == post_id, PeerPost.status == PostStatus.SENT, PeerPost.stale.is_(True)
            )
            .values(stale=False)
        )
    if not getattr(claimed, "rowcount", 0):
        return None
    return await session.get(PeerPost, post_id, populate_existing=True)


async def finish(session: AsyncSession, *, post_id: int, **values: Any) -> None:
    await session.execute(update(PeerPost).where(PeerPost.id == post_id).values(**values))
