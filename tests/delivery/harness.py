"""A journey plus scheduled delivery on a controllable clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.assessment.scoring import ExactScorer
from bot.content import Catalog
from bot.core.middleware import ErrorReplies, Router
from bot.core.views import Message
from bot.delivery import DeliveryOptions, DeliveryService
from bot.delivery.codec import load_message
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from storage.db import Database
from storage.models import DueItem, InboxMessage, OutboxMessage, Person
from tests.clock import FakeClock
from tests.driver import Learner, all_text


@dataclass
class World:
    database: Database
    catalog: Catalog
    clock: FakeClock
    router: Router
    delivery: DeliveryService

    def learner(self, name: str) -> Learner:
        return Learner(self.router, name)

    async def set_person(self, identity_name: str, **values: Any) -> None:
        async with self.database.transaction() as session:
            person = await session.scalar(
                select(Person).where(Person.display_name == identity_name.title())
            )
            assert person is not None
            for key, value in values.items():
                setattr(person, key, value)

    async def run(self, at: datetime | None = None) -> int:
        """Plan, tick and drain the outbox at `at`; the number of messages queued."""
        if at is not None:
            self.clock.set(at)
        await self.delivery.plan()
        result = await self.delivery.tick()
        await drain(self.delivery)
        return result.messages

    async def inbox(self, name: str) -> list[Message]:
        async with self.database.transaction() as session:
            rows = await session.scalars(
                select(InboxMessage.message)
                .where(InboxMessage.identity == f"local:{name}")
                .order_by(InboxMessage.id)
            )
            return [load_message(r) for r in rows]

    async def inbox_text(self, name: str) -> list[str]:
        return [all_text(m) for m in await self.inbox(name)]

    async def due(self, kind: str | None = None) -> list[DueItem]:
        async with self.database.transaction() as session:
            query = select(DueItem).where(DueItem.status == "pending").order_by(DueItem.due_at)
            if kind:
                query = query.where(DueItem.kind == kind)
            return list(await session.scalars(query))


def build_world(database: Database, catalog: Catalog, clock: FakeClock, **options: Any) -> World:
    hooks = Hooks()
    scorer = ExactScorer()
    journey = Journey(database, catalog, hooks=hooks, scorer=scorer)
    router = Router(journey, [ErrorReplies()])
    defaults: dict[str, Any] = {"poll_seconds": 0.02, "concurrency": 4}
    delivery = DeliveryService(
        database, catalog, hooks, scorer, DeliveryOptions(**(defaults | options)), clock
    )
    delivery.recall.install(hooks)
    return World(database, catalog, clock, router, delivery)


async def outstanding(database: Database, now: datetime | None) -> int:
    """Outbox rows still to send by `now` (pending and due, or claimed); all when None."""
    pending = OutboxMessage.status == "pending"
    if now is not None:
        pending = pending & (OutboxMessage.due_at <= now)
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count()).where((OutboxMessage.status == "claimed") | pending)
        )
    return int(count or 0)


async def drain(
    delivery: DeliveryService, timeout: float = 30.0, *, everything: bool = False
) -> None:
    """Run the dispatcher until nothing due is left (with `everything`: nothing pending at
    all, for a real clock), then stop it; confirmations are flushed."""
    task = asyncio.create_task(delivery.dispatcher.run())
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            await asyncio.sleep(0.05)
            await delivery.dispatcher.flush()
            now = None if everything else delivery.clock.now()
            if not await outstanding(delivery.database, now):
                break
        else:
            raise AssertionError("the outbox did not drain")
    finally:
        delivery.dispatcher.stop()
        await asyncio.gather(task, return_exceptions=True)
