"""The dispatcher: drains the outbox through per-platform rate limits, retries, reconciles."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime, timedelta

from bot.core.observing import named_event
from bot.core.ports import Clock, Messenger, Reconciler, SendObserver, Unobserved
from bot.delivery.codec import load_message
from bot.delivery.failures import backoff, classify
from bot.delivery.limiter import SlidingWindows
from bot.delivery.options import DeliveryOptions
from bot.delivery.outbox import Claimed, claim, confirm, dead_letter, release
from storage.db import Database

log = logging.getLogger(__name__)
FLUSH_SECONDS = 0.05


class Dispatcher:
    """Every process runs one; it sends what is due, whoever queued it."""

    def __init__(
        self, database: Database, options: DeliveryOptions, clock: Clock, worker: str
    ) -> None:
        self.database, self.options, self.clock, self.worker = database, options, clock, worker
        self.messengers: dict[str, Messenger] = {}
        self.reconcilers: dict[str, Reconciler] = {}
        self.conversations: dict[str, SlidingWindows] = {}
        self.workspaces: dict[str, SlidingWindows] = {}
        self.queue: asyncio.Queue[Claimed] = asyncio.Queue()
        self.done: list[tuple[Claimed, str, datetime]] = []
        self.deadlines: dict[int, datetime] = {}
        self.changed = asyncio.Event()
        self.held = 0
        self.sent = 0
        self.stopping = False
        self.share = 1.0
        self.taken_over: datetime | None = None
        """When this process last looked for rows whose lease expired (every lease / 4)."""
        self.observer: SendObserver = Unobserved()
        """Counts each send's outcome (the application's metrics)."""

    def register(self, messenger: Messenger, reconciler: Reconciler | None = None) -> None:
        platform = messenger.platform
        self.messengers[platform] = messenger
        if reconciler is not None:
            self.reconcilers[platform] = reconciler
        else:
            self.reconcilers.pop(platform, None)
        limits = self.options.limits.get(platform)
        margin = self.options.limit_margin
        self.conversations[platform] = SlidingWindows(limits.conversation if limits else (), margin)
        self.workspaces[platform] = SlidingWindows(
            limits.workspace if limits else (), margin, self.share, paced=True
        )

    def set_share(self, share: float) -> None:
        """This process's part of each workspace budget (1 / live processes)."""
        if abs(share - self.share) > 1e-9:
            self.share = share
            for windows in self.workspaces.values():
                windows.set_share(share)

    def wake(self) -> None:
        self.changed.set()

    def stop(self) -> None:
        """Ask `run` to return: no more claims, queued rows given back, sends finished."""
        self.stopping = True
        self.changed.set()

    async def run(self) -> None:
        """Claim, send and confirm until cancelled."""
        self.stopping = False
        senders = [asyncio.create_task(self._sender()) for _ in range(self.options.concurrency)]
        flusher = asyncio.create_task(self._flusher())
        try:
            await self._claimer()
        finally:
            self.stopping = True
            await self._drain(senders)
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await self.flush()

    async def _claimer(self) -> None:
        room = 4 * self.options.concurrency
        while not self.stopping:
            self.changed.clear()
            free = room - self.held
            got = 0
            if free > 0 and (free >= 2 * self.options.concurrency or self.queue.empty()):
                now = self.clock.now()
                takeover = (
                    self.taken_over is None or now - self.taken_over >= self.options.lease / 4
                )
                try:
                    rows = await claim(
                        self.database,
                        worker=self.worker,
                        platforms=tuple(self.messengers),
                        limit=free,
                        now=now,
                        lease=self.options.lease,
                        takeover=takeover,
                    )
                    self.taken_over = now if takeover else self.taken_over
                except Exception:
                    log.exception("cannot claim outbox rows; retrying")
                    rows = []
                    await asyncio.sleep(self.options.poll_seconds)
                deadline = now + self.options.lease * 0.8
                for row in rows:
                    self.deadlines[row.id] = deadline
                    self.held += 1
                    self.queue.put_nowait(row)
                got = len(rows)
            if (got == 0 or self.held >= room) and not self.stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), self.options.poll_seconds)

    async def _sender(self) -> None:
        while True:
            row = await self.queue.get()
            with named_event(row.key):  # log lines during the send carry the row's key
                try:
                    await self._deliver(row)
                except Exception:
                    log.exception("delivery of %s crashed; its lease will expire", row.key)
                finally:
                    self.deadlines.pop(row.id, None)
                    self.held -= 1
                    self.changed.set()

    async def _drain(self, senders: list[asyncio.Task[None]]) -> None:
        """Stop: give back rows not started, let sends in flight finish (briefly)."""
        while not self.queue.empty():
            row = self.queue.get_nowait()
            self.held -= 1
            with contextlib.suppress(Exception):
                await self._release(row, self.clock.now(), "shutdown", failed=False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle(), timeout=10)
        for task in senders:
            task.cancel()
        await asyncio.gather(*senders, return_exceptions=True)

    async def _idle(self) -> None:
        while self.held > 0:
            self.changed.clear()
            await self.changed.wait()

    async def _flusher(self) -> None:
        last_prune = time.monotonic()
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self.flush()
            if time.monotonic() - last_prune > 60:
                last_prune = time.monotonic()
                for windows in [*self.conversations.values(), *self.workspaces.values()]:
                    windows.prune(last_prune)

    async def flush(self) -> None:
        """Write confirmed sends in one statement."""
        batch, self.done = self.done, []
        if not batch:
            return
        try:
            await confirm(self.database, batch, worker=self.worker)
        except Exception:
            log.exception("cannot confirm %d sends; keeping them for the next flush", len(batch))
            self.done = batch + self.done

    async def _pace(self, row: Claimed) -> None:
        """Wait until a send may start within the conversation's and the workspace's limits
        (and any pause a 429 asked for), then record that it starts now."""
        conversations = self.conversations[row.platform]
        workspaces = self.workspaces[row.platform]
        while True:
            now = time.monotonic()
            at = max(
                conversations.earliest(row.identity, now),
                workspaces.earliest(row.workspace_id, now),
            )
            if at <= now:
                conversations.take(row.identity, now)
                workspaces.take(row.workspace_id, now)
                return
            await asyncio.sleep(at - now)

    async def _deliver(self, row: Claimed) -> None:
        if self.stopping:
            await self._release(row, self.clock.now(), "shutdown", failed=False)
            return
        if row.tries > self.options.max_tries:
            self.observer.send_outcome(row.platform, "failed")
            await self._dead(row, f"gave up after {row.tries} tries", gone=False)
            return
        reconciler = self.reconcilers.get(row.platform)
        if row.uncertain and reconciler is not None:
            try:
                found = await reconciler.find_sent(row.identity, row.key, since=row.created_at)
            except Exception as exc:
                await self._failed(row, exc)
                return
            if found:
                log.info("reconciled %s: already delivered as %s", row.key, found)
                self.done.append((row, found, self.clock.now()))
                return
        await self._pace(row)
        if self.clock.now() >= self.deadlines.get(row.id, self.clock.now() + timedelta(days=1)):
            return  # our lease ran out while waiting: whoever takes the row over sends it
        try:
            ref = await self.messengers[row.platform].send_direct(
                row.identity, load_message(row.message), key=row.key
            )
        except Exception as exc:
            await self._failed(row, exc)
            return
        self.sent += 1
        self.observer.send_outcome(row.platform, "sent")
        self.done.append((row, ref, self.clock.now()))

    async def _failed(self, row: Claimed, exc: BaseException) -> None:
        verdict = classify(exc)
        now = self.clock.now()
        if verdict.action == "throttled":
            self.observer.send_outcome(row.platform, "rate_limited")
            until = time.monotonic() + verdict.retry_after
            self.conversations[row.platform].pause(row.identity, until)
            self.workspaces[row.platform].pause(row.workspace_id, until)
            due = now + timedelta(seconds=verdict.retry_after)
            await self._release(row, due, verdict.error, failed=False)
        elif verdict.action in ("gone", "fatal"):
            outcome = "unreachable" if verdict.action == "gone" else "failed"
            self.observer.send_outcome(row.platform, outcome)
            await self._dead(row, verdict.error, gone=verdict.action == "gone")
        elif row.failures + 1 >= self.options.max_failures:
            self.observer.send_outcome(row.platform, "failed")
            await self._dead(row, verdict.error, gone=False)
        else:
            self.observer.send_outcome(row.platform, "retried")
            wait = backoff(row.failures + 1, self.options.backoff, self.options.backoff_cap)
            log.warning("send of %s failed (%s); retrying in %.1fs", row.key, verdict.error, wait)
            uncertain = row.uncertain or verdict.uncertain
            due = now + timedelta(seconds=wait)
            await self._release(row, due, verdict.error, failed=True, uncertain=uncertain)

    async def _release(
        self,
        row: Claimed,
        due: datetime,
        error: str,
        *,
        failed: bool,
        uncertain: bool | None = None,
    ) -> None:
        await release(
            self.database,
            row,
            worker=self.worker,
            due_at=due,
            error=error,
            failed=failed,
            uncertain=row.uncertain if uncertain is None else uncertain,
        )

    async def _dead(self, row: Claimed, error: str, *, gone: bool) -> None:
        await self.flush()
        await dead_letter(
            self.database, row, worker=self.worker, error=error, now=self.clock.now(), pause=gone
        )
