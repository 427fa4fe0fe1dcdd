"""The event inbox's rows: stored in batches at the edge, claimed per lane under a lease, done.

`finishing` marks a claimed row done inside the engine's own transaction (see its doc), so a
turn that committed is never run again and a turn that did not commit always is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, delete, event, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction, aliased

from storage.models import InboxEvent, InboxEventStatus, ProcessedEvent

TABLE: Table = InboxEvent.__table__  # type: ignore[assignment]
OPEN = (InboxEventStatus.PENDING, InboxEventStatus.CLAIMED)


@dataclass(frozen=True)
class ClaimedEvent:
    """An inbox row this worker holds a lease on."""

    id: int
    key: str
    platform: str
    lane: str
    payload: Any
    tries: int
    """1 on the first claim; more when a lease expired (its last run may have started)."""
    processed: bool
    """The engine's transaction for it committed already (only its reply may be missing)."""


async def insert_events(session: AsyncSession, *, rows: Sequence[dict[str, Any]]) -> None:
    """Store rows in one statement; a row whose key is stored already (a redelivery) is skipped."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(InboxEvent).on_conflict_do_nothing(index_elements=["key"]), rows)


def _claimable(now: datetime, platforms: tuple[str, ...]) -> Any:
    """Lane heads: pending (or claimed under an expired lease), with nothing open before them."""
    earlier = aliased(InboxEvent)
    blocked = exists().where(
        earlier.lane == InboxEvent.lane, earlier.id < InboxEvent.id, earlier.status.in_(OPEN)
    )
    pending = InboxEvent.status == InboxEventStatus.PENDING
    expired = and_(InboxEvent.status == InboxEventStatus.CLAIMED, InboxEvent.lease_until < now)
    return and_(InboxEvent.platform.in_(platforms), or_(pending, expired), ~blocked)


async def claim_events(
    session: AsyncSession,
    *,
    worker: str,
    platforms: tuple[str, ...],
    limit: int,
    now: datetime,
    lease: timedelta,
    running: Collection[int] = (),
) -> list[ClaimedEvent]:
    """Lease up to `limit` lane heads in one UPDATE … RETURNING (picked with SELECT … FOR
    UPDATE SKIP LOCKED on PostgreSQL), oldest first; at most one row per lane is ever open
    under a live lease, so one learner's events never run at once. Rows in `running` (this
    worker's own) are never taken back, however late their lease is renewed."""
    claimable = _claimable(now, platforms)
    if running:
        claimable = and_(claimable, InboxEvent.id.not_in(list(running)))
    picked = (
        select(InboxEvent.id)
        .where(claimable)
        .order_by(InboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(TABLE)
        .where(TABLE.c.id.in_(picked.scalar_subquery()))
        .values(
            status=InboxEventStatus.CLAIMED,
            lease_owner=worker,
            lease_until=now + lease,
            tries=TABLE.c.tries + 1,
        )
        .returning(
            TABLE.c.id,
            TABLE.c.key,
            TABLE.c.platform,
            TABLE.c.lane,
            TABLE.c.payload,
            TABLE.c.tries,
            TABLE.c.processed_at,
        )
    )
    rows = (await session.execute(statement)).all()
    claimed = [
        ClaimedEvent(
            id=row.id,
            key=row.key,
            platform=row.platform,
            lane=row.lane,
            payload=row.payload,
            tries=row.tries,
            processed=row.processed_at is not None,
        )
        for row in rows
    ]
    return sorted(claimed, key=lambda c: c.id)


def _mine(claimed: ClaimedEvent, worker: str) -> Any:
    return and_(
        TABLE.c.id == claimed.id,
        TABLE.c.lease_owner == worker,
        TABLE.c.tries == claimed.tries,
        TABLE.c.status == InboxEventStatus.CLAIMED,
    )


def _done(claimed: ClaimedEvent, worker: str, now: datetime) -> Any:
    return (
        update(TABLE)
        .where(_mine(claimed, worker))
        .values(status=InboxEventStatus.DONE, done_at=now, lease_until=None)
    )


def _processed(claimed: ClaimedEvent, worker: str, now: datetime) -> Any:
    return update(TABLE).where(_mine(claimed, worker)).values(processed_at=now)


async def extend_leases(
    session: AsyncSession, *, ids: Sequence[int], worker: str, until: datetime
) -> None:
    """Keep the rows this worker is still running."""
    if ids:
        await session.execute(
            update(TABLE)
            .where(
                TABLE.c.id.in_(ids),
                TABLE.c.lease_owner == worker,
                TABLE.c.status == InboxEventStatus.CLAIMED,
            )
            .values(lease_until=until)
        )


async def mark_done(
    session: AsyncSession, *, claimed: ClaimedEvent, worker: str, now: datetime
) -> bool:
    """Mark a leased row done (its reply delivered); False when it was no longer this worker's."""
    result = await session.execute(_done(claimed, worker, now))
    return bool(getattr(result, "rowcount", 0))


async def retry_later(
    session: AsyncSession,
    *,
    claimed: ClaimedEvent,
    worker: str,
    not_before: datetime,
    error: str,
    dead: bool,
) -> None:
    """A run failed: the row is taken again after `not_before` (an expired lease), or is dead."""
    values: dict[str, Any] = {"lease_owner": None, "lease_until": not_before, "last_error": error}
    if dead:
        values["status"] = InboxEventStatus.DEAD
    await session.execute(update(TABLE).where(_mine(claimed, worker)).values(**values))


async def open_events(session: AsyncSession, *, platforms: tuple[str, ...] = ()) -> int:
    """How many rows are pending or claimed (of `platforms`, or all)."""
    statement = select(func.count()).select_from(InboxEvent).where(InboxEvent.status.in_(OPEN))
    if platforms:
        statement = statement.where(InboxEvent.platform.in_(platforms))
    return int(await session.scalar(statement) or 0)


async def count_events(session: AsyncSession, *, status: InboxEventStatus) -> int:
    statement = select(func.count()).select_from(InboxEvent).where(InboxEvent.status == status)
    return int(await session.scalar(statement) or 0)


async def delete_done_before(session: AsyncSession, *, before: datetime) -> None:
    """Forget rows done before `before` (a redelivery after that is absorbed by the engine)."""
    await session.execute(
        delete(InboxEvent).where(
            InboxEvent.status == InboxEventStatus.DONE, InboxEvent.done_at < before
        )
    )


# -- done inside the engine's transaction -------------------------------------------------


@dataclass
class _Finishing:
    claimed: ClaimedEvent
    worker: str
    now: datetime
    done: bool = False
    """The engine's transaction that marked the row processed has committed."""
    marking: int | None = None
    """The session whose commit carries the mark (until it commits or rolls back)."""
    open: set[int] = field(default_factory=set)
    """Sessions of this event's context whose transaction is open (to spot nested ones)."""
    lost: bool = False
    """Another worker took the row back: this run's turn was rolled back and must not answer."""


class LeaseLost(Exception):
    """The row's lease passed to another worker before this run's turn committed."""


_finishing: ContextVar[_Finishing | None] = ContextVar("inbox_finishing", default=None)


@contextmanager
def finishing(claimed: ClaimedEvent, *, worker: str, now: datetime) -> Iterator[_Finishing]:
    """While processing `claimed`: the first transaction committed in this context (tasks it
    starts share it) that is neither nested in another open one nor only the engine's
    de-duplication claim marks the row processed in that same transaction. The engine's turn
    is one transaction, so the row is processed exactly when the turn committed. The mark is
    also a fence: when the lease passed to another worker meanwhile, the turn rolls back
    (`LeaseLost`), so of two runs of one row only the lease holder's turn commits."""
    _install()
    state = _Finishing(claimed, worker, now)
    token = _finishing.set(state)
    try:
        yield state
    finally:
        _finishing.reset(token)


def lease_lost() -> bool:
    """Inside `finishing`: whether the row was taken back (the run must not answer)."""
    state = _finishing.get()
    return state is not None and state.lost


def _state(session: Session) -> _Finishing | None:
    state = _finishing.get()
    return None if state is None or state.done else state


def _after_begin(session: Session, transaction: SessionTransaction, connection: Any) -> None:
    if (state := _state(session)) is not None:
        state.open.add(id(session))


def _after_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and (state := _finishing.get()) is not None:
        state.open.discard(id(session))


def _before_commit(session: Session) -> None:
    state = _state(session)
    if state is None or state.marking is not None or state.open - {id(session)}:
        return
    if id(session) not in state.open:
        return  # nothing ran in this transaction
    if session.new and all(isinstance(o, ProcessedEvent) for o in session.new):
        return  # the engine's de-duplication claim, committed before the turn
    result = session.execute(_processed(state.claimed, state.worker, state.now))
    if not getattr(result, "rowcount", 0):  # the lease is another worker's now: fenced off
        state.lost = True
        raise LeaseLost(f"inbound event {state.claimed.id} was taken back by another worker")
    state.marking = id(session)


def _after_commit(session: Session) -> None:
    state = _finishing.get()
    if state is not None and state.marking == id(session):
        state.done = True


def _after_rollback(session: Session) -> None:
    state = _finishing.get()
    if state is not None and not state.done and state.marking == id(session):
        state.marking = None


_installed = False


def _install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_begin", _after_begin)
    event.listen(Session, "after_transaction_end", _after_end)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True
