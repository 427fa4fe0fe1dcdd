"""Delivery workers' heartbeats: who is alive, and forgetting those that are gone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryWorker


async def touch_worker(
    session: AsyncSession, *, name: str, now: datetime, leader: bool, sent: int
) -> bool:
    """Record a heartbeat of worker `name`; False when it has no row yet."""
    changed = await session.execute(
        update(DeliveryWorker)
        .where(DeliveryWorker.name == name)
        .values(beat_at=now, leader=leader, sent=sent)
    )
    return bool(getattr(changed, "rowcount", 0))


async def alive_workers(session: AsyncSession, *, since: datetime) -> int:
    """How many workers beat at or after `since`."""
    alive = await session.scalar(select(func.count()).where(DeliveryWorker.beat_at >= since))
    return int(alive or 0)


async def delete_workers_before(session: AsyncSession, *, before: datetime) -> None:
    """Forget workers whose last heartbeat is older than `before`."""
    await session.execute(delete(DeliveryWorker).where(DeliveryWorker.beat_at < before))


async def delete_worker(session: AsyncSession, *, name: str) -> None:
    """Forget worker `name` (it stepped down)."""
    await session.execute(delete(DeliveryWorker).where(DeliveryWorker.name == name))
