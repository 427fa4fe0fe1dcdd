"""The outbox's rows: inserted in bulk, leased to a worker, confirmed, released or dead."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Table, and_, bindparam, case, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MessageTemplate, OutboxMessage, OutboxStatus
from storage.prebuilt import per_dialect

TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]
TEMPLATES: Table = MessageTemplate.__table__  # type: ignore[assignment]


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


async def insert_outbox_rows(session: AsyncSession, *, rows: Sequence[dict[str, Any]]) -> None:
    """Insert outbox rows in one Core INSERT executed for all of them (nothing when there are
    none); see `insert_due_items` for why Core and why not one multi-VALUES statement."""
    if rows:
        await session.execute(insert(TABLE), list(rows))


_store_templates = per_dialect(
    lambda insert: (statement := insert(TEMPLATES)).on_conflict_do_update(
        index_elements=["digest"], set_={"created_at": statement.excluded.created_at}
    )
)
_TEMPLATES_BY_DIGEST = select(TEMPLATES.c.digest, TEMPLATES.c.message).where(
    TEMPLATES.c.digest.in_(bindparam("digests", expanding=True))
)


async def store_templates(
    session: AsyncSession, *, templates: dict[str, Any], now: datetime
) -> None:
    """Store shared messages by digest (a known one is only marked as used `now`)."""
    if templates:
        rows = [{"digest": d, "message": m, "created_at": now} for d, m in templates.items()]
        await session.execute(_store_templates(session), rows)


async def templates_by_digest(session: AsyncSession, *, digests: Collection[str]) -> dict[str, Any]:
    """The stored shared messages of these digests."""
    if not digests:
        return {}
    rows = await session.execute(_TEMPLATES_BY_DIGEST, {"digests": list(digests)})
    return {digest: message for digest, message in rows}


async def delete_templates_unused_since(session: AsyncSession, *, before: datetime) -> None:
    """Forget shared messages no tick has used since `before`."""
    await session.execute(delete(TEMPLATES).where(TEMPLATES.c.created_at < before))


async def existing_outbox_keys(session: AsyncSession, *, keys: Collection[str]) -> set[str]:
    """Of `keys`, those some outbox row already has."""
    if not keys:
        return set()
    rows = await session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    return set(rows)


RETURNED = (
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
_PLATFORMS = TABLE.c.platform.in_(bindparam("platforms", expanding=True))
_PENDING = and_(
    TABLE.c.status == OutboxStatus.PENDING, TABLE.c.due_at <= bindparam("now"), _PLATFORMS
)
_EXPIRED = and_(
    TABLE.c.status == OutboxStatus.CLAIMED, TABLE.c.lease_until < bindparam("now"), _PLATFORMS
)


def _lease_statement(where: Any) -> Any:
    """One UPDATE … RETURNING of up to `limit` rows matching `where`, oldest due first (built
    once: the dispatcher claims many times a second)."""
    picked = (
        select(TABLE.c.id)
        .where(where)
        .order_by(TABLE.c.due_at, TABLE.c.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
    )
    return (
        update(TABLE)
        .where(TABLE.c.id.in_(picked.scalar_subquery()))
        .values(
            status=OutboxStatus.CLAIMED,
            lease_owner=bindparam("worker"),
            lease_until=bindparam("until"),
            tries=TABLE.c.tries + 1,
            uncertain=case((TABLE.c.status == OutboxStatus.CLAIMED, True), else_=TABLE.c.uncertain),
        )
        .returning(*RETURNED)
    )


_LEASE_PENDING = _lease_statement(_PENDING)
_LEASE_EXPIRED = _lease_statement(_EXPIRED)


async def _lease(session: AsyncSession, statement: Any, **params: Any) -> list[Claimed]:
    return [Claimed(*row) for row in (await session.execute(statement, params)).all()]


async def claim_outbox_rows(
    session: AsyncSession,
    *,
    worker: str,
    platforms: tuple[str, ...],
    limit: int,
    now: datetime,
    lease: timedelta,
    takeover: bool = True,
) -> list[Claimed]:
    """Lease up to `limit` due rows, N at a time in one UPDATE … RETURNING each (the rows are
    picked with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL): first, with `takeover`, rows
    whose lease expired (marked uncertain), then pending ones. Each pick is one condition on
    the (status, due_at) index, so it reads the rows in due order instead of sorting every
    pending row. The leased rows come back in id order."""
    claimed: list[Claimed] = []
    params = {"platforms": list(platforms), "now": now, "worker": worker, "until": now + lease}
    if takeover:
        claimed = await _lease(session, _LEASE_EXPIRED, limit=limit, **params)
    if len(claimed) < limit:
        claimed += await _lease(session, _LEASE_PENDING, limit=limit - len(claimed), **params)
    claimed.sort(key=lambda c: c.id)
    return claimed


def _mine() -> Any:
    return and_(
        TABLE.c.id == bindparam("row_id"),
        TABLE.c.lease_owner == bindparam("owner"),
        TABLE.c.tries == bindparam("row_tries"),
        TABLE.c.status == OutboxStatus.CLAIMED,
    )


async def mark_sent(
    session: AsyncSession, *, worker: str, sent: Sequence[tuple[Claimed, str, datetime]]
) -> int:
    """Mark leased rows sent with their platform references, in one executemany; returns how
    many were still this worker's."""
    statement = (
        update(TABLE)
        .where(_mine())
        .values(
            status=OutboxStatus.SENT,
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
    result = await session.execute(statement, params)
    return int(getattr(result, "rowcount", 0) or 0)


async def release_claimed(
    session: AsyncSession,
    *,
    claimed: Claimed,
    worker: str,
    due_at: datetime,
    error: str,
    failed: bool,
    uncertain: bool,
) -> None:
    """Give a leased row back for another try at `due_at`."""
    statement = (
        update(TABLE)
        .where(_mine())
        .values(
            status=OutboxStatus.PENDING,
            due_at=due_at,
            lease_owner=None,
            lease_until=None,
            failures=TABLE.c.failures + (1 if failed else 0),
            uncertain=uncertain,
            last_error=error[:500],
        )
    )
    params = {"row_id": claimed.id, "owner": worker, "row_tries": claimed.tries}
    await session.execute(statement, params)


async def mark_dead(session: AsyncSession, *, claimed: Claimed, worker: str, error: str) -> bool:
    """Stop trying a leased row; False when the lease was no longer this worker's."""
    statement = (
        update(TABLE).where(_mine()).values(status=OutboxStatus.DEAD, last_error=error[:500])
    )
    params = {"row_id": claimed.id, "owner": worker, "row_tries": claimed.tries}
    result = await session.execute(statement, params)
    return bool(getattr(result, "rowcount", 0))


async def delete_sent_before(session: AsyncSession, *, before: datetime) -> None:
    """Forget rows sent before `before`."""
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < before
        )
    )
