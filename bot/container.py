"""Composition root: builds the database, catalog and conversation router. No logic here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.assessment.scoring import ExactScorer
from bot.content import Catalog, load_library
from bot.core.middleware import Deduplicate, ErrorReplies, Router
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from bot.settings import Settings
from storage.db import Database
from storage.queries.events import DatabaseEventClaims


@dataclass
class Services:
    settings: Settings
    database: Database
    catalog: Catalog
    router: Router
    hooks: Hooks

    async def close(self) -> None:
        await self.database.close()


def build_services(
    settings: Settings, *, catalog: Catalog | None = None, skip_invalid: bool = False
) -> Services:
    """Everything a channel needs to talk to learners."""
    database = Database(settings.database_url)
    catalog = catalog or load_library(settings.content_dir, skip_invalid=skip_invalid)
    hooks = Hooks()
    journey = Journey(database, catalog, hooks=hooks, scorer=ExactScorer())
    router = Router(journey, [ErrorReplies(), Deduplicate(DatabaseEventClaims(database))])
    return Services(settings, database, catalog, router, hooks)
