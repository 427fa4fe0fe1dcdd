"""Scheduled delivery in one process: leader election, the system jobs, the dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from bot.assessment.scoring import Scorer
from bot.content import Catalog
from bot.core.clock import SYSTEM_CLOCK
from bot.core.ports import Clock, Messenger, Reconciler
from bot.delivery.dispatch import Dispatcher
from bot.delivery.inbox import InboxMessenger
from bot.delivery.options import DeliveryOptions
from bot.delivery.plan import PlanResult, plan
from bot.delivery.repetition import Recall
from bot.delivery.tick import Sweeper, TickResult
from bot.learning.hooks import Hooks
from bot.runtime import Periodic, worker_name
from bot.runtime.leader import forget_workers
from storage.db import Database
from storage.queries.due_items import delete_closed_due_items
from storage.queries.outbox import delete_sent_before, delete_templates_unused_since

log = logging.getLogger(__name__)


class DeliveryService:
    """Every process drains the outbox; the tick, the plan and housekeeping are periodic sweeps
    (`schedule`), which the runtime runs on the leader."""

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
        """Spaced repetition of misses; the application installs it on the journey's hooks."""
        self.closed = False
        self.lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        inbox = InboxMessenger(database, self.clock)
        self.register(inbox, inbox)  # local learners: their lessons wait in the inbox table

    def register(self, messenger: Messenger, reconciler: Reconciler | None = None) -> None:
        """Send to `messenger.platform` through this messenger (and look up with `reconciler`)."""
        self.dispatcher.register(messenger, reconciler)

    def schedule(self, periodic: Periodic) -> None:
        """Register the tick, the plan and housekeeping, and share the outbox by heartbeat."""
        periodic.every("delivery-tick", self.options.tick_seconds, self.tick)
        periodic.every("delivery-plan", self.options.plan_seconds, self.plan)
        periodic.every("delivery-housekeeping", 3600.0, self.housekeeping)
        periodic.on_beat(lambda alive: self.dispatcher.set_share(1 / alive))
        periodic.sent = lambda: self.dispatcher.sent

    async def start(self) -> None:
        """Drain the outbox in this process."""
        self.closed = False
        self.task = asyncio.create_task(self.dispatcher.run(), name="outbox-dispatcher")
        log.info(
            "delivery started as %s (platforms: %s)",
            self.worker,
            ", ".join(sorted(self.dispatcher.messengers)),
        )

    async def stop(self) -> None:
        """Let the dispatcher finish its batch and a running tick or plan finish."""
        self.dispatcher.stop()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self.task, timeout=20)
            self.task = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.lock.acquire(), timeout=10)
            self.closed = True
            self.lock.release()

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
            await delete_sent_before(session, before=before)
            await delete_templates_unused_since(session, before=before)
            await delete_closed_due_items(session, before=before)
        await forget_workers(self.database, older_than=self.clock.now() - timedelta(days=1))
