"""Composition root: builds the database, catalog and conversation router. No logic here."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.assessment import wiring as assessment
from bot.content import Catalog, load_library
from bot.core.acting import CurrentActor
from bot.core.messengers import Messengers
from bot.core.middleware import Deduplicate, ErrorReplies, Router
from bot.credentials import Credentials, Issuing
from bot.delivery import DeliveryService, options_from
from bot.engagement import Engagement, PointsRules
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from bot.review import PeerReview
from bot.settings import Settings
from storage.db import Database, DatabaseUnavailable
from storage.queries.events import DatabaseEventClaims


@dataclass
class Services:
    settings: Settings
    database: Database
    catalog: Catalog
    router: Router
    hooks: Hooks
    messengers: Messengers = field(default_factory=Messengers)
    """Slack and Teams register their Messenger here when they are mounted."""
    credentials: Credentials | None = None
    delivery: DeliveryService | None = None
    """Scheduled delivery; `microcred serve` starts it (bot/web/scheduling.py)."""
    engagement: Engagement | None = None
    """Points, leaderboards and challenges; its `sweep` posts what is due."""
    reviews: PeerReview | None = None
    """Peer review of portfolios; its `sweep` reminds, reassigns and escalates."""

    async def close(self) -> None:
        if self.reviews is not None:
            await self.reviews.drain()
        if self.credentials is not None:
            await self.credentials.announcer.drain()
        if self.engagement is not None:
            await self.engagement.drain()
        await self.database.close()


def build_services(
    settings: Settings, *, catalog: Catalog | None = None, skip_invalid: bool = False
) -> Services:
    """Everything a channel needs to talk to learners."""
    database = Database(settings.database_url)
    catalog = catalog or load_library(settings.content_dir, skip_invalid=skip_invalid)
    hooks = Hooks()
    assessment.register(hooks)
    scorer = assessment.build_scorer(settings, database)
    messengers = Messengers()
    credentials = Credentials(database, Issuing.from_settings(settings, catalog), messengers)
    credentials.install(hooks)
    engagement = Engagement(
        database, catalog, messengers=messengers, rules=PointsRules.parse(settings.points_rules)
    )
    engagement.register(hooks)
    reviews = PeerReview(database, catalog, messengers=messengers, credit=engagement)
    reviews.register(hooks)
    journey = Journey(database, catalog, hooks=hooks, scorer=scorer)
    delivery = DeliveryService(database, catalog, hooks, scorer, options_from(settings))
    claims = Deduplicate(DatabaseEventClaims(database))
    router = Router(journey, [ErrorReplies(outages=(DatabaseUnavailable,)), claims, CurrentActor()])
    return Services(
        settings,
        database,
        catalog,
        router,
        hooks,
        messengers=messengers,
        credentials=credentials,
        delivery=delivery,
        engagement=engagement,
        reviews=reviews,
    )
