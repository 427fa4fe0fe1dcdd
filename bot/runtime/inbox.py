"""The durable inbox: the edge stores events in group commits; workers run each lane in order.

`GroupCommit.store` returns once the event's row is committed (many requests share one
commit), so the edge acknowledges only what is durable. `InboxWorker` claims lane heads under
a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and hands each to its platform's handler;
the engine's transaction marks the row processed (`storage.queries.event_inbox.finishing`), so a
row taken back from a dead worker is run again only when its turn never committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from storage.db import Database
from storage.queries.event_inbox import (
    ClaimedEvent,
    LeaseLost,
    claim_events,
    delete_done_before,
    extend_leases,
    finishing,
    insert_events,
    lease_lost,
    mark_done,
    open_events,
    retry_later,
)

__all__ = ["GroupCommit", "InboxHandler", "InboxWorker", "LeaseLost", "lease_lost"]

log = logging.getLogger(__name__)
WINDOW = 0.002
"""Seconds the first event of a batch waits for others to share its commit."""
BATCH = 256
LINGER = 0.01
"""Seconds a finished run waits for another reason to run a claim pass (see `_wake_soon`)."""
MAX_TRIES = 5
KEEP_DONE = timedelta(days=1)


def wall_clock() -> datetime:
    """Leases are about live processes, so they run on the real clock, never a test's."""
    return datetime.now(UTC)


class InboxHandler(Protocol):
    """A platform's part: turn a row back into its event, run the engine, deliver the reply.
    Raising gives the row back for a later try."""

    async def process(self, event: ClaimedEvent) -> None: ...


class GroupCommit:
    """Collects rows for a few milliseconds (or up to `limit`) and commits them in one
    transaction; each `store` returns when its row is durable, or raises."""

    def __init__(self, database: Database, *, window: float = WINDOW, limit: int = BATCH) -> None:
        self.database, self.window, self.limit = database, window, limit
        self.pending: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self.flusher: asyncio.Task[None] | None = None
        self.listeners: list[Any] = []
        self.commits = 0
        self.stored = 0

    def on_commit(self, listener: Any) -> None:
        """Called (with no arguments) after each commit: a local worker wakes up."""
        self.listeners.append(listener)

    async def store(self, row: dict[str, Any]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((row, future))
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush(), name="inbox group commit")
        await asyncio.shield(future)

    async def _flush(self) -> None:
        await asyncio.sleep(self.window)
        while self.pending:
            batch, self.pending = self.pending[: self.limit], self.pending[self.limit :]
            try:
                async with self.database.transaction() as session:
                    await insert_events(session, rows=[row for row, _ in batch])
            except Exception as exc:
                log.error("could not store %d inbound event(s): %s", len(batch), exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.commits += 1
            self.stored += len(batch)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            for listener in self.listeners:
                listener()

    async def close(self) -> None:
        if self.flusher is not None:
            with contextlib.suppress(Exception):
                await self.flusher


class InboxWorker:
    """Claims lane heads and runs up to `concurrency` of them at once (one per lane)."""

    def __init__(
        self,
        database: Database,
        handlers: Mapping[str, InboxHandler],
        *,
        worker: str,
        concurrency: int = 16,
        lease_seconds: float = 60.0,
        poll_seconds: float = 0.25,
    ) -> None:
        self.database, self.handlers = database, dict(handlers)
        self.worker, self.concurrency = worker, concurrency
        self.lease = timedelta(seconds=lease_seconds)
        self.poll = poll_seconds
        self.running: dict[int, asyncio.Task[None]] = {}
        self.wakeup = asyncio.Event()
        self.closed = True
        self.processed = 0
        self.finished: list[ClaimedEvent] = []
        self._lingering: asyncio.TimerHandle | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._last_prune = wall_clock()

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(sorted(self.handlers))

    def wake(self) -> None:
        self.wakeup.set()

    def _wake_soon(self) -> None:
        """A run finished: the lane's next event may be claimable and its done mark is due.
        The next stored event wakes the loop anyway, so a pass waits up to LINGER for one
        and carries both; under load that halves the passes."""
        if self._lingering is None or self._lingering.cancelled():
            self._lingering = asyncio.get_running_loop().call_later(LINGER, self.wake)

    async def start(self) -> None:
        if not self.closed:
            return
        self.closed = False
        self.wakeup = asyncio.Event()
        self._loop_task = asyncio.create_task(self._loop(), name="inbox worker")
        log.info("inbox worker %s started (%d at once)", self.worker, self.concurrency)

    async def stop(self, timeout: float = 20.0) -> None:
        """Stop claiming; let the rows already running finish (their leases cover the rest)."""
        self.closed = True
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        if self.running:
            _, late = await asyncio.wait(set(self.running.values()), timeout=timeout)
            for task in late:
                task.cancel()
        try:
            await self.flush()
        except Exception:
            log.warning("could not mark finished inbound events done", exc_info=True)

    async def open_count(self) -> int:
        async with self.database.transaction() as session:
            return await open_events(session, platforms=self.platforms)

    async def _loop(self) -> None:
        renewed = wall_clock()
        while not self.closed:
            self.wakeup.clear()
            if self._lingering is not None:
                self._lingering.cancel()
                self._lingering = None
            free = self.concurrency - len(self.running)
            claimed: list[ClaimedEvent] = []
            if free > 0 or self.finished:
                try:
                    claimed = await self._claim(free)
                except Exception:
                    log.exception("could not claim inbound events; trying again")
            for event in claimed:
                task = asyncio.create_task(self._run(event), name=f"inbox {event.id}")
                self.running[event.id] = task
            now = wall_clock()
            if self.running and now - renewed > self.lease / 3:
                renewed = now
                await self._renew()
            if now - self._last_prune > timedelta(minutes=10):
                self._last_prune = now
                await self._prune(now)
            if claimed and len(claimed) == free:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=self.poll)

    async def _claim(self, limit: int) -> list[ClaimedEvent]:
        """Mark the finished rows done and lease up to `limit` more, in one transaction."""
        finished, self.finished = self.finished, []
        now = wall_clock()
        try:
            async with self.database.transaction() as session:
                await mark_done(session, claimed=finished, worker=self.worker, now=now)
                if limit <= 0:
                    return []
                return await claim_events(
                    session,
                    worker=self.worker,
                    platforms=self.platforms,
                    limit=limit,
                    now=now,
                    lease=self.lease,
                    running=list(self.running),
                )
        except BaseException:
            self.finished[:0] = finished  # done on the next pass (until then the lease holds)
            raise

    async def flush(self) -> None:
        """Mark the rows finished so far done (the loop does so with each claim)."""
        if self.finished:
            await self._claim(0)

    async def _renew(self) -> None:
        try:
            async with self.database.transaction() as session:
                await extend_leases(
                    session,
                    ids=list(self.running),
                    worker=self.worker,
                    until=wall_clock() + self.lease,
                )
        except Exception:
            log.warning("could not extend inbox leases", exc_info=True)

    async def _prune(self, now: datetime) -> None:
        try:
            async with self.database.transaction() as session:
                await delete_done_before(session, before=now - KEEP_DONE)
        except Exception:
            log.warning("could not prune the inbox", exc_info=True)

    async def _run(self, event: ClaimedEvent) -> None:
        try:
            await self._process(event)
        except Exception:
            log.exception("inbound event %s could not be finished", event.id)
        finally:
            self.running.pop(event.id, None)
            self._wake_soon()

    async def _process(self, event: ClaimedEvent) -> None:
        if not event.processed:
            failure: Exception | None = None
            with finishing(event, worker=self.worker, now=wall_clock()) as state:
                try:
                    await self.handlers[event.platform].process(event)
                except Exception as exc:
                    failure = exc
            if failure is not None and not state.lost:
                await self._retry(event, failure)  # outside: its commit is not the turn's
                return
            if state.lost:
                log.warning("inbound event %s was taken back by another worker", event.id)
                return
        else:  # the turn committed, its process died before answering: nothing runs twice
            log.warning("inbound event %s was processed by a worker that stopped", event.id)
        self.finished.append(event)  # marked done in the next claim's transaction
        self.processed += 1

    async def _retry(self, event: ClaimedEvent, exc: Exception) -> None:
        dead = event.tries >= MAX_TRIES
        backoff = timedelta(seconds=min(60.0, 2.0**event.tries))
        (log.error if dead else log.warning)(
            "inbound event %s failed (try %d%s): %s",
            event.id,
            event.tries,
            ", given up" if dead else "",
            exc,
        )
        async with self.database.transaction() as session:
            await retry_later(
                session,
                claimed=event,
                worker=self.worker,
                not_before=wall_clock() + backoff,
                error=f"{type(exc).__name__}: {exc}"[:500],
                dead=dead,
            )
