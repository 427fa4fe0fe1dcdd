"""The outbox: messages with an idempotency key, claimed under a lease, confirmed once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.views import Message
from bot.delivery.codec import dump_message
from storage.db import Database
from storage.models import AdminAlert, Enrollment, OutboxMessage

log = logging.getLogger(__name__)
TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Claimed:
    """An outbox row this worker holds a lease on."""

    id: int
    key: str
    workspace_id: str
    platform: str
    identity: str
    enrollment_id: int | None
    kind: str
    message: Any
    tries: int
    failures: int
    uncertain: bool
    created_at: datetime


def platform_of(identity: str) -> str:
    return identity.split(":", 1)[0]


def queued(
    *,
    key: str,
    identity: str,
    workspace_id: str,
    message: Message,
    kind: str,
    due_at: datetime,
    worker: str,
    enrollment_id: int | None = None,
) -> dict[str, Any]:
    """A new outbox row's values (insert them in the transaction that decided to send)."""
    return {
        "key": key,
        "workspace_id": workspace_id,
        "platform": platform_of(identity),
        "identity": identity,
        "enrollment_id": enrollment_id,
        "kind": kind,
        "message": dump_message(message),
        "status": "pending",
        "due_at": due_at,
        "tries": 0,
        "failures": 0,
        "uncertain": False,
        "enqueued_by": worker,
        "created_at": due_at,
    }


async def enqueue(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows in one statement."""
    if rows:
        await session.execute(insert(OutboxMessage), rows)


async def existing_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = await session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    return set(rows)


def _claimable(now: datetime, platforms: tuple[str, ...]) -> Any:
    pending = and_(OutboxMessage.status == "pending", OutboxMessage.due_at <= now)
    expired = and_(OutboxMessage.status == "claimed", OutboxMessage.lease_until < now)
    return and_(OutboxMessage.platform.in_(platforms), or_(pending, expired))


async def claim(
    database: Database,
    *,
    worker: str,
    platforms: tuple[str, ...],
    limit: int,
    now: datetime,
    lease: timedelta,
) -> list[Claimed]:
    """Lease up to `limit` due rows (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL).

    A row whose lease expired is taken over and marked uncertain: its last send may
    have happened, so it is looked up before it is sent again.
    """
    if limit <= 0 or not platforms:
        return []
    picked = (
        select(OutboxMessage.id)
        .where(_claimable(now, platforms))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(TABLE)
        .where(TABLE.c.id.in_(picked.scalar_subquery()))
        .values(
            status="claimed",
            lease_owner=worker,
            lease_until=now + lease,
            tries=TABLE.c.tries + 1,
            uncertain=case((TABLE.c.status == "claimed", True), else_=TABLE.c.uncertain),
        )
        .returning(
            TABLE.c.id,
            TABLE.c.key,
            TABLE.c.workspace_id,
            TABLE.c.platform,
            TABLE.c.identity,
            TABLE.c.enrollment_id,
            TABLE.c.kind,
            TABLE.c.message,
            TABLE.c.tries,
            TABLE.c.failures,
            TABLE.c.uncertain,
            TABLE.c.created_at,
        )
    )
    async with database.transaction() as session:
        rows = (await session.execute(statement)).all()
    claimed = [Claimed(*row) for row in rows]
    claimed.sort(key=lambda c: c.id)
    return claimed


def _mine() -> Any:
    return and_(
        TABLE.c.id == bindparam("row_id"),
        TABLE.c.lease_owner == bindparam("owner"),
        TABLE.c.tries == bindparam("row_tries"),
        TABLE.c.status == "claimed",
    )


async def confirm(
    database: Database, sent: list[tuple[Claimed, str, datetime]], *, worker: str
) -> int:
    """Mark rows sent with their platform references; returns how many were still ours."""
    if not sent:
        return 0
    statement = (
        update(TABLE)
        .where(_mine())
        .values(
            status="sent",
            ref=bindparam("sent_ref"),
            sent_at=bindparam("sent_time"),
            sent_by=worker,
            lease_until=None,
            uncertain=False,
        )
    )
    params = [
        {
            "row_id": c.id,
            "owner": worker,
            "row_tries": c.tries,
            "sent_ref": ref[:255],
            "sent_time": when,
        }
        for c, ref, when in sent
    ]
    async with database.transaction() as session:
        result = await session.execute(statement, params)
    return int(getattr(result, "rowcount", 0) or 0)


async def release(
    database: Database,
    claimed: Claimed,
    *,
    worker: str,
    due_at: datetime,
    error: str,
    failed: bool,
    uncertain: bool,
) -> None:
    """Give a row back for a later try (a 429, a 5xx, a timeout)."""
    statement = (
        update(TABLE)
        .where(_mine())
        .values(
            status="pending",
            due_at=due_at,
            lease_owner=None,
            lease_until=None,
            failures=TABLE.c.failures + (1 if failed else 0),
            uncertain=uncertain,
            last_error=error[:500],
        )
    )
    params = {"row_id": claimed.id, "owner": worker, "row_tries": claimed.tries}
    async with database.transaction() as session:
        await session.execute(statement, params)


async def dead_letter(
    database: Database, claimed: Claimed, *, worker: str, error: str, now: datetime, pause: bool
) -> None:
    """Stop trying: the row is dead, an admin alert is stored and logged."""
    statement = update(TABLE).where(_mine()).values(status="dead", last_error=error[:500])
    params = {"row_id": claimed.id, "owner": worker, "row_tries": claimed.tries}
    async with database.transaction() as session:
        result = await session.execute(statement, params)
        if not getattr(result, "rowcount", 0):
            return
        session.add(
            AdminAlert(
                workspace_id=claimed.workspace_id,
                kind="unreachable" if pause else "dead_letter",
                subject=claimed.key[:255],
                detail=error.replace(claimed.identity, "the learner")[:1000],
                created_at=now,
            )
        )
        if pause and claimed.enrollment_id is not None:
            enrollment = await session.get(Enrollment, claimed.enrollment_id)
            if enrollment is not None and enrollment.status == "active":
                enrollment.status = "paused"
    log.error(
        "delivery alert: gave up on %s to %s after %d tries: %s",
        claimed.key,
        claimed.identity,
        claimed.tries,
        error,
    )
