"""The application object: every part of one microcred process, built once, started and stopped.

Channels and web routes receive the parts they need from it and never import this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.content import Catalog, load_library
from bot.core.acting import CurrentActor
from bot.core.clock import SYSTEM_CLOCK
from bot.core.messengers import Messengers
from bot.core.middleware import Deduplicate, ErrorReplies, Router
from bot.core.observing import count_statement
from bot.core.ports import Clock, Messenger, Observed, OutboxView, Reconciler
from bot.core.tasks import Tasks
from bot.credentials import Credentials, Issuing
from bot.delivery import DeliveryService, options_from
from bot.engagement import Engagement, PointsRules
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from bot.marking import wiring as marking
from bot.review import PeerReview
from bot.runtime import Periodic, worker_name
from bot.runtime.metrics import Metrics
from bot.settings import Settings
from storage.db import Database, DatabaseUnavailable
from storage.queries.events import DatabaseEventClaims

log = logging.getLogger(__name__)
BADGE_SWEEP_SECONDS = 300.0
"""Re-certification reminders and announcements stuck after a crash."""
ENGAGEMENT_SWEEP_SECONDS = 60.0
"""Challenge starts, progress and results; weekly leaderboard digests."""


@dataclass(eq=False)
class Application:
    """Settings, the database, the catalog, every feature, background tasks and the periodic
    sweeps of one process (python-telegram-bot's `Application` is the model).

    `build` wires it; channels `register` their one outbound messenger; `start` runs scheduled
    delivery and the sweeps (each once per interval across processes, on the leader); `stop`
    stops them, drains background tasks and closes the database.
    """

    settings: Settings
    database: Database
    catalog: Catalog
    clock: Clock
    tasks: Tasks
    hooks: Hooks
    messengers: Messengers
    router: Router
    credentials: Credentials
    engagement: Engagement
    reviews: PeerReview
    delivery: DeliveryService
    periodic: Periodic
    metrics: Metrics
    running: bool = False

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        catalog: Catalog | None = None,
        skip_invalid: bool = False,
        clock: Clock = SYSTEM_CLOCK,
    ) -> Application:
        """Everything a channel needs to talk to learners (nothing runs until `start`)."""
        database = Database(settings.database_url)
        catalog = catalog or load_library(settings.content_dir, skip_invalid=skip_invalid)
        tasks, hooks, messengers = Tasks(), Hooks(), Messengers()
        marking.register(hooks)
        scorer = marking.build_scorer(settings, database)
        credentials = Credentials(
            database, Issuing.from_settings(settings, catalog, clock), messengers, tasks
        )
        credentials.install(hooks)
        rules = PointsRules.parse(settings.points_rules)
        engagement = Engagement(
            database, catalog, messengers=messengers, rules=rules, clock=clock, tasks=tasks
        )
        engagement.register(hooks)
        reviews = PeerReview(
            database, catalog, messengers=messengers, clock=clock, credit=engagement, tasks=tasks
        )
        reviews.register(hooks)
        journey = Journey(database, catalog, hooks=hooks, scorer=scorer, clock=clock)
        options = options_from(settings)
        worker = worker_name()
        delivery = DeliveryService(database, catalog, hooks, scorer, options, clock, worker=worker)
        delivery.recall.install(hooks)
        periodic = Periodic(
            database,
            clock,
            worker=worker,
            heartbeat_seconds=options.heartbeat_seconds,
            leader_poll_seconds=options.leader_poll_seconds,
        )
        delivery.schedule(periodic)
        periodic.every("badges", BADGE_SWEEP_SECONDS, credentials.sweep)
        periodic.every("engagement", ENGAGEMENT_SWEEP_SECONDS, engagement.sweep)
        periodic.every("reviews", settings.tick_seconds, reviews.sweep)
        metrics = Metrics(database, clock, leader=lambda: periodic.leader)
        database.on_statement(count_statement)  # statements per event (core/observing.py)
        delivery.dispatcher.observer = metrics
        claims = Deduplicate(DatabaseEventClaims(database))
        router = Router(
            journey,
            [ErrorReplies(outages=(DatabaseUnavailable,)), claims, CurrentActor()],
            observer=metrics,
        )
        return cls(
            settings=settings,
            database=database,
            catalog=catalog,
            clock=clock,
            tasks=tasks,
            hooks=hooks,
            messengers=messengers,
            router=router,
            credentials=credentials,
            engagement=engagement,
            reviews=reviews,
            delivery=delivery,
            periodic=periodic,
            metrics=metrics,
        )

    def register(self, messenger: Messenger) -> None:
        """A platform's one outbound path: every feature and scheduled delivery send through it
        (and delivery reconciles through it when it can look up what it sent)."""
        self.messengers.register(messenger)
        if isinstance(messenger, Observed):  # its 429s count in this application's metrics
            messenger.observe(self.metrics)
        outbox = messenger.for_outbox() if isinstance(messenger, OutboxView) else messenger
        reconciler = outbox if isinstance(outbox, Reconciler) else None
        self.delivery.register(outbox, reconciler)

    async def start(self) -> None:
        """Drain the outbox and stand for leader of the sweeps (off with MICROCRED_DELIVERY=0)."""
        if self.running:
            return
        if not self.settings.delivery:
            log.info("scheduled delivery and periodic sweeps are off (MICROCRED_DELIVERY)")
            return
        await self.delivery.start()
        await self.periodic.start()
        self.running = True

    async def stop_runtime(self) -> None:
        """Stop the sweeps and scheduled delivery (the database stays open)."""
        if self.running:
            self.running = False
            await self.periodic.stop()
            await self.delivery.stop()

    async def stop(self) -> None:
        """Stop the sweeps and delivery, wait for background tasks, close the database."""
        await self.stop_runtime()
        await self.tasks.drain()
        await self.database.close()
