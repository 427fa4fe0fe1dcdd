"""A crash in the middle of a tick loses nothing and doubles nothing after the restart."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.content import Catalog
from bot.delivery import tick as tick_module
from bot.delivery.codec import load_message
from bot.delivery.outbox import claim
from storage.db import Database
from storage.models import DueItem, OutboxMessage
from tests.delivery.harness import FakeClock, build_world, drain
from tests.fakes.messenger import FakeMessenger

LEARNERS = 24
SLOT = datetime(2027, 3, 1, 8, 31, tzinfo=UTC)  # Monday 09:31 in Berlin


class Crash(BaseException):
    """Like a killed process: nothing below the tick catches it."""


async def _enrolled(database: Database, mini: Catalog, clock: FakeClock) -> None:
    world = build_world(database, mini, clock)
    for n in range(LEARNERS):
        learner = world.learner(f"l{n}")
        await learner.say("start mini")
        await world.set_person(f"l{n}", timezone="Europe/Berlin")
    await world.delivery.plan()


async def test_a_tick_killed_mid_batch_restarts_without_loss_or_doubles(
    database: Database, mini: Catalog, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _enrolled(database, mini, clock)
    clock.set(SLOT)
    first = build_world(database, mini, clock, batch=5)
    calls = {"n": 0}
    original = tick_module.overdue

    def crash_on_the_thirteenth(items: list[DueItem], now: datetime) -> None:
        calls["n"] += 1
        if calls["n"] == 13:  # inside the third batch, before it commits
            raise Crash
        original(items, now)

    monkeypatch.setattr(tick_module, "overdue", crash_on_the_thirteenth)
    with pytest.raises(Crash):
        await first.delivery.tick()
    monkeypatch.setattr(tick_module, "overdue", original)
    async with database.transaction() as session:
        queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert queued == 10  # two whole batches committed; the third rolled back

    restarted = build_world(database, mini, clock, batch=5)
    recorder = FakeMessenger("local", dedupe=False)
    restarted.delivery.register(recorder)  # records every send, never de-duplicates
    await restarted.delivery.tick()
    await restarted.delivery.tick()
    await drain(restarted.delivery)
    sends = Counter(s.to for s in recorder.sent)
    assert sends == Counter({f"local:l{n}": 1 for n in range(LEARNERS)})
    async with database.transaction() as session:
        slots = Counter(
            (row.enrollment_id, row.status)
            for row in await session.scalars(select(DueItem).where(DueItem.kind == "slot"))
        )
    assert sorted(set(slots.values())) == [1]
    assert Counter(status for _, status in slots) == {"done": LEARNERS, "pending": LEARNERS}


async def test_without_a_reconciler_a_crash_doubles_only_the_sends_in_flight(
    sqlite_database: Database, mini: Catalog, clock: FakeClock
) -> None:
    """Teams has no lookup by key: what was sent but not confirmed is sent again, no more."""
    await _enrolled(sqlite_database, mini, clock)
    clock.set(SLOT)
    world = build_world(sqlite_database, mini, clock)
    await world.delivery.tick()
    recorder = FakeMessenger("local", dedupe=False)  # like Teams: no lookup by key
    in_flight = await claim(
        sqlite_database,
        worker="killed",
        platforms=("local",),
        limit=6,
        now=SLOT,
        lease=timedelta(seconds=60),
    )
    for row in in_flight:  # sent, then the process died before confirming
        await recorder.send_direct(row.identity, load_message(row.message), key=row.key)
    clock.set(SLOT + timedelta(seconds=61))
    restarted = build_world(sqlite_database, mini, clock)
    restarted.delivery.register(recorder)  # no reconciler
    await drain(restarted.delivery)
    sends = Counter(s.key for s in recorder.sent)
    assert len(sends) == LEARNERS
    assert sorted(sends.values()) == [1] * (LEARNERS - 6) + [2] * 6
    async with sqlite_database.transaction() as session:
        statuses = Counter(await session.scalars(select(OutboxMessage.status)))
    assert statuses == {"sent": LEARNERS}
