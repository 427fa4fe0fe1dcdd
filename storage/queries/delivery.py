"""Read models of scheduled delivery for admins: a learner's schedule, the outbox's health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AdminAlert,
    DeliveryWorker,
    DueItem,
    DueStatus,
    Enrollment,
    InboxMessage,
    OutboxMessage,
    OutboxStatus,
    RecallCard,
    RecallStatus,
)


async def pending_items(session: AsyncSession, *, enrollment_ids: list[int]) -> list[DueItem]:
    rows = await session.scalars(
        select(DueItem)
        .where(DueItem.enrollment_id.in_(enrollment_ids), DueItem.status == DueStatus.PENDING)
        .order_by(DueItem.due_at, DueItem.id)
    )
    return list(rows)


async def active_cards(session: AsyncSession, *, enrollment_ids: list[int]) -> list[RecallCard]:
    rows = await session.scalars(
        select(RecallCard)
        .where(
            RecallCard.enrollment_id.in_(enrollment_ids), RecallCard.status == RecallStatus.ACTIVE
        )
        .order_by(RecallCard.due_at, RecallCard.id)
    )
    return list(rows)


async def recent_messages(
    session: AsyncSession, *, enrollment_ids: list[int], limit: int = 10
) -> list[OutboxMessage]:
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.enrollment_id.in_(enrollment_ids))
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(rows)


@dataclass
class OutboxHealth:
    """What an operator watches: backlog, its age, stuck leases, dead letters, who is alive."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    """(platform, state) → rows; state is pending-due, pending-later, claimed, sent or dead."""
    oldest_due: datetime | None = None
    expired_leases: int = 0
    overdue_items: int = 0
    oldest_overdue_item: datetime | None = None
    dead: list[OutboxMessage] = field(default_factory=list)
    alerts: list[AdminAlert] = field(default_factory=list)
    workers: list[DeliveryWorker] = field(default_factory=list)


async def outbox_health(session: AsyncSession, *, now: datetime, recent: int = 5) -> OutboxHealth:
    health = OutboxHealth()
    due_now = (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.due_at <= now)
    rows = await session.execute(
        select(OutboxMessage.platform, OutboxMessage.status, due_now, func.count()).group_by(
            OutboxMessage.platform, OutboxMessage.status, due_now
        )
    )
    for platform, status, is_due, count in rows:
        name = (
            ("pending-due" if is_due else "pending-later")
            if status == OutboxStatus.PENDING
            else status
        )
        health.counts[(platform, name)] = health.counts.get((platform, name), 0) + int(count)
    health.oldest_due = await session.scalar(select(func.min(OutboxMessage.due_at)).where(due_now))
    health.expired_leases = int(
        await session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.lease_until < now
            )
        )
        or 0
    )
    late = (DueItem.status == DueStatus.PENDING) & (DueItem.due_at <= now)
    health.overdue_items = int(await session.scalar(select(func.count()).where(late)) or 0)
    health.oldest_overdue_item = await session.scalar(select(func.min(DueItem.due_at)).where(late))
    health.dead = list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.DEAD)
            .order_by(OutboxMessage.id.desc())
            .limit(recent)
        )
    )
    health.alerts = list(
        await session.scalars(
            select(AdminAlert)
            .where(AdminAlert.resolved_at.is_(None))
            .order_by(AdminAlert.id.desc())
            .limit(recent)
        )
    )
    health.workers = list(
        await session.scalars(select(DeliveryWorker).order_by(DeliveryWorker.started_at))
    )
    return health


async def requeue_dead(session: AsyncSession, *, now: datetime, keys: list[str] | None) -> int:
    """Give dead-lettered messages (all, or those with `keys`) a fresh set of tries."""
    query = update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)
    if keys:
        query = query.where(OutboxMessage.key.in_(keys))
    result = await session.execute(
        query.values(status=OutboxStatus.PENDING, due_at=now, failures=0, tries=0, lease_owner=None)
    )
    alerts = update(AdminAlert).where(
        AdminAlert.resolved_at.is_(None), AdminAlert.kind == "dead_letter"
    )
    if keys:
        alerts = alerts.where(AdminAlert.subject.in_(keys))
    await session.execute(alerts.values(resolved_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_delivery(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    """A person's scheduled-delivery data (for `microcred learners export`)."""
    enrollment_ids = list(
        await session.scalars(select(Enrollment.id).where(Enrollment.person_id == person_id))
    )
    items = await pending_items(session, enrollment_ids=enrollment_ids)
    cards = await session.scalars(
        select(RecallCard).where(RecallCard.enrollment_id.in_(enrollment_ids))
    )
    messages = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.enrollment_id.in_(enrollment_ids))
        .order_by(OutboxMessage.id)
    )
    inbox = await session.scalars(
        select(InboxMessage).where(InboxMessage.person_id == person_id).order_by(InboxMessage.id)
    )
    return {
        "due": [{"kind": i.kind, "due_at": _iso(i.due_at)} for i in items],
        "reviews": [
            {
                "quiz": c.quiz_id,
                "question": c.question_id,
                "box": c.box,
                "status": c.status,
                "due_at": _iso(c.due_at),
            }
            for c in cards
        ],
        "messages": [
            {"kind": m.kind, "status": m.status, "key": m.key, "sent_at": _iso(m.sent_at)}
            for m in messages
        ],
        "inbox": [{"key": m.key, "message": m.message} for m in inbox],
    }


async def open_alert_exists(
    session: AsyncSession, *, workspace_id: str, kind: str, subject: str
) -> bool:
    """Whether an unresolved admin alert says this already (one event is logged once)."""
    found = await session.scalar(
        select(AdminAlert.id)
        .where(
            AdminAlert.workspace_id == workspace_id,
            AdminAlert.kind == kind,
            AdminAlert.subject == subject,
            AdminAlert.resolved_at.is_(None),
        )
        .limit(1)
    )
    return found is not None
