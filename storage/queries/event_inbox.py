"""The event inbox's rows: stored in batches at the edge, claimed per lane under a lease, done.

`finishing` marks a claimed row processed inside the engine's own transaction (see its doc), so
a turn that committed is never run again and a turn that did not commit always is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Table, and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import InboxEvent, InboxEventStatus
from storage.prebuilt import INSERTS
from storage.turn_commit import riding

TABLE: Table = InboxEvent.__table__  # type: ignore[assignment]
OPEN = (InboxEventStatus.PENDING, InboxEventStatus.CLAIMED)
C = TABLE.c


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
    insert = INSERTS[session.get_bind().dialect.name]
    await session.execute(insert(InboxEvent).on_conflict_do_nothing(index_elements=["key"]), rows)


# The worker's statements run for every event, so they are built once, with bound parameters.


def _claim_statement() -> Any:
    """Lane heads (pending, or claimed under an expired lease, with nothing open before them
    in their lane) leased in one UPDATE … RETURNING, picked oldest first with SELECT … FOR
    UPDATE SKIP LOCKED on PostgreSQL."""
    earlier = TABLE.alias("earlier")
    blocked = exists().where(
        earlier.c.lane == C.lane, earlier.c.id < C.id, earlier.c.status.in_(OPEN)
    )
    pending = C.status == InboxEventStatus.PENDING
    expired = and_(C.status == InboxEventStatus.CLAIMED, C.lease_until < bindparam("now"))
    picked = (
        select(C.id)
        .where(
            C.platform.in_(bindparam("platforms", expanding=True)),
            or_(pending, expired),
            ~blocked,
            C.id.not_in(bindparam("running", expanding=True)),
        )
        .order_by(C.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
    )
    return (
        update(TABLE)
        .where(C.id.in_(picked.scalar_subquery()))
        .values(
            status=InboxEventStatus.CLAIMED,
            lease_owner=bindparam("worker"),
            lease_until=bindparam("until"),
            tries=C.tries + 1,
        )
        .returning(C.id, C.key, C.platform, C.lane, C.payload, C.tries, C.processed_at)
    )


_CLAIM = _claim_statement()
_MINE = and_(
    C.id == bindparam("row_id"),
    C.lease_owner == bindparam("owner"),
    C.tries == bindparam("row_tries"),
    C.status == InboxEventStatus.CLAIMED,
)
_DONE = (
    update(TABLE)
    .where(_MINE)
    .values(status=InboxEventStatus.DONE, done_at=bindparam("now"), lease_until=None)
)
_PROCESSED = update(TABLE).where(_MINE).values(processed_at=bindparam("now"))
_RETRY = update(TABLE).where(_MINE)


def _lease_params(claimed: ClaimedEvent, worker: str) -> dict[str, Any]:
    return {"row_id": claimed.id, "owner": worker, "row_tries": claimed.tries}


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
    """Lease up to `limit` lane heads, oldest first; at most one row per lane is ever open
    under a live lease, so one learner's events never run at once. Rows in `running` (this
    worker's own) are never taken back, however late their lease is renewed."""
    params = {
        "now": now,
        "platforms": list(platforms),
        "running": list(running),
        "limit": limit,
        "worker": worker,
        "until": now + lease,
    }
    rows = (await session.execute(_CLAIM, params)).all()
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


async def extend_leases(
    session: AsyncSession, *, ids: Sequence[int], worker: str, until: datetime
) -> None:
    """Keep the rows this worker is still running."""
    if ids:
        await session.execute(
            update(TABLE)
            .where(
                C.id.in_(ids),
                C.lease_owner == worker,
                C.status == InboxEventStatus.CLAIMED,
            )
            .values(lease_until=until)
        )


async def mark_done(
    session: AsyncSession, *, claimed: Sequence[ClaimedEvent], worker: str, now: datetime
) -> None:
    """Mark leased rows done (their replies delivered) in one statement; a row that is no
    longer this worker's is left alone."""
    if claimed:
        await session.execute(_DONE, [{**_lease_params(c, worker), "now": now} for c in claimed])


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
    await session.execute(_RETRY.values(**values), _lease_params(claimed, worker))


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
class Finishing:
    """`finishing`'s report on one run."""

    lost: bool = False
    """Another worker took the row back: this run's turn was rolled back and must not answer."""


class LeaseLost(Exception):
    """The row's lease passed to another worker before this run's turn committed."""


_finishing: ContextVar[Finishing | None] = ContextVar("inbox_finishing", default=None)


@contextmanager
def finishing(claimed: ClaimedEvent, *, worker: str, now: datetime) -> Iterator[Finishing]:
    """While processing `claimed`: the turn's own transaction (`storage.turn_commit`) marks
    the row processed, so the row is processed exactly when the turn committed. The mark is
    also a fence: when the lease passed to another worker meanwhile, the turn rolls back
    (`LeaseLost`), so of two runs of one row only the lease holder's turn commits."""
    state = Finishing()
    params = {**_lease_params(claimed, worker), "now": now}

    def mark(session: Session) -> None:
        if not session.execute(_PROCESSED, params).rowcount:  # type: ignore[attr-defined]
            state.lost = True  # the lease is another worker's now: fenced off
            raise LeaseLost(f"inbound event {claimed.id} was taken back by another worker")

    token = _finishing.set(state)
    try:
        with riding(mark):
            yield state
    finally:
        _finishing.reset(token)


def lease_lost() -> bool:
    """Inside `finishing`: whether the row was taken back (the run must not answer)."""
    state = _finishing.get()
    return state is not None and state.lost
