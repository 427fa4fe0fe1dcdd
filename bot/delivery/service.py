"""Scheduled delivery in one process: leader election, the system jobs, the dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import delete

from bot.assessment.scoring import Scorer
from bot.content import Catalog
from bot.core.clock import SYSTEM_CLOCK
from bot.core.ports import Clock, Messenger, Reconciler
from bot.delivery import jobs
from bot.delivery.dispatch import Dispatcher
from bot.delivery.inbox import InboxMessenger
from bot.delivery.leader import Leadership, beat, forget_workers, step_down
from bot.delivery.options import DeliveryOptions
from bot.delivery.plan import PlanResult, plan
from bot.delivery.repetition import Recall
from bot.delivery.scheduler import SystemScheduler
from bot.delivery.tick import Sweeper, TickResult
from bot.learning.hooks import Hooks
from storage.db import Database
from storage.models import DueItem, OutboxMessage

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(2)}"


class DeliveryService:
    """Every process drains the outbox; the one holding the leader lock runs the scheduler."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        hooks: Hooks,
        scorer: Scorer,
        options: DeliveryOptions | None = None,
        clock: Clock | None = None,
        *,
        worker: str | None = None,
    ) -> None:
        self.database = database
        self.options = options or DeliveryOptions()
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.worker = worker or worker_name()
        self.dispatcher = Dispatcher(database, self.options, self.clock, self.worker)
        self.sweeper = Sweeper(
            database,
            catalog,
            hooks,
            scorer,
            self.options,
            self.clock,
            self.worker,
            on_queued=self.dispatcher.wake,
        )
        self.catalog = catalog
        self.recall = Recall(self.clock)
        self.recall.install(hooks)
        self.leadership = Leadership(database)
        self.scheduler = SystemScheduler(database.url, self.options)
        self.leader = False
        self.closed = False
        self.lock = asyncio.Lock()
        self.tasks: list[asyncio.Task[None]] = []
        self.periodic: dict[str, Callable[[], Awaitable[object]]] = {}
        inbox = InboxMessenger(database, self.clock)
        self.register(inbox, inbox)

    def register(self, messenger: Messenger, reconciler: Reconciler | None = None) -> None:
        """Send to `messenger.platform` through this messenger (and look up with `reconciler`)."""
        self.dispatcher.register(messenger, reconciler)

    def every(self, name: str, seconds: float, work: Callable[[], Awaitable[object]]) -> None:
        """Run `work` every `seconds` on the scheduler leader (register before `start`)."""
        self.periodic[name] = work
        self.scheduler.extra[name] = seconds

    async def run_job(self, name: str) -> None:
        if self.closed:
            return
        try:
            await self.periodic[name]()
        except Exception:
            log.exception("periodic job %s failed; it runs again at its next time", name)

    async def start(self, *, schedule: bool = True) -> None:
        """Drain the outbox; with `schedule`, also stand for leader and run the system jobs."""
        self.closed = False
        jobs.install(self)
        self.tasks.append(asyncio.create_task(self.dispatcher.run(), name="outbox-dispatcher"))
        if schedule:
            self.tasks.append(asyncio.create_task(self._lead(), name="scheduler-leader"))
        log.info(
            "delivery started as %s (platforms: %s)",
            self.worker,
            ", ".join(sorted(self.dispatcher.messengers)),
        )

    async def stop(self) -> None:
        self.dispatcher.stop()
        for task in reversed(self.tasks):
            if task.get_name() != "outbox-dispatcher":
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=20)
        self.tasks.clear()
        self._stop_leading()
        with contextlib.suppress(TimeoutError):  # let a running tick finish its batch
            await asyncio.wait_for(self.lock.acquire(), timeout=10)
            self.closed = True
            self.lock.release()
        await self.leadership.release()
        with contextlib.suppress(Exception):
            await step_down(self.database, name=self.worker)
        jobs.install(None)

    def _stop_leading(self) -> None:
        if self.leader:
            log.info("%s stops leading the scheduler", self.worker)
        self.leader = False
        self.scheduler.stop()

    async def _lead(self) -> None:
        interval = min(self.options.heartbeat_seconds, self.options.leader_poll_seconds)
        while True:
            try:
                if not self.leader and await self.leadership.acquire():
                    self.leader = True
                    log.info("%s now leads the scheduler", self.worker)
                    self.scheduler.start()
                elif self.leader and not await self.leadership.held():
                    self._stop_leading()
                await self._beat(interval)
            except Exception:
                log.exception("scheduler leadership check failed")
            await asyncio.sleep(interval)

    async def _beat(self, interval: float) -> None:
        alive = await beat(
            self.database,
            name=self.worker,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            leader=self.leader,
            sent=self.dispatcher.sent,
            now=self.clock.now(),
            stale=timedelta(seconds=interval * 3 + 1),
        )
        self.dispatcher.set_share(1 / alive)

    async def tick(self) -> TickResult:
        async with self.lock:
            if self.closed:
                return TickResult()
            result = await self.sweeper.tick()
        if result.enrollments:
            log.info(
                "tick: %d enrollment(s), %d message(s) queued", result.enrollments, result.messages
            )
        return result

    async def plan(self) -> PlanResult:
        async with self.lock:
            if self.closed:
                return PlanResult()
            return await plan(self.database, self.catalog, self.options, self.clock)

    async def housekeeping(self) -> None:
        """Forget what is old: sent messages, closed due rows, dead workers."""
        before = self.clock.now() - timedelta(days=self.options.keep_days)
        async with self.database.transaction() as session:
            await session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status == "sent", OutboxMessage.sent_at < before
                )
            )
            await session.execute(
                delete(DueItem).where(DueItem.status != "pending", DueItem.done_at < before)
            )
        await forget_workers(self.database, older_than=self.clock.now() - timedelta(days=1))
