"""The durable inbox's worker: lane heads only, leases taken back, and no turn run twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.events import Actor, Inbound, TextInput
from bot.core.middleware import Deduplicate, Router
from bot.core.views import Reply
from bot.runtime import inbox as runtime_inbox
from bot.runtime.inbox import GroupCommit, InboxWorker
from storage.db import Database
from storage.models import InboxEvent, InboxEventStatus, InboxMessage, ProcessedEvent
from storage.queries.event_inbox import ClaimedEvent, finishing
from storage.queries.events import DatabaseEventClaims

PLATFORM = "test"


def row(key: str, lane: str) -> dict[str, Any]:
    return {
        "key": key,
        "platform": PLATFORM,
        "lane": lane,
        "payload": {"text": key},
        "status": InboxEventStatus.PENDING,
        "tries": 0,
        "received_at": datetime.now(UTC),
    }


class Turns:
    """A conversation whose turn is one transaction writing one row (the engine's stand-in)."""

    def __init__(self, database: Database, *, fail: bool = False) -> None:
        self.database, self.fail, self.seen = database, fail, 0

    async def handle(self, inbound: Inbound) -> Reply:
        self.seen += 1
        async with self.database.transaction() as session:
            session.add(InboxMessage(identity=inbound.actor.identity, key=inbound.event_id))
            await session.flush()
            if self.fail:
                raise RuntimeError("the process dies in the middle of the turn")
        return Reply()


class Through:
    """An InboxHandler running rows through a router (Deduplicate on the inbox row's key)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.events: list[ClaimedEvent] = []

    async def process(self, event: ClaimedEvent) -> None:
        self.events.append(event)
        workspace, _, event_id = event.key.partition(":")
        await self.router.handle(Inbound(Actor(workspace, event.lane), TextInput("x"), event_id))


def worker(database: Database, handler: Through, name: str, lease: float = 60.0) -> InboxWorker:
    return InboxWorker(
        database,
        {PLATFORM: handler},
        worker=name,
        lease_seconds=lease,
    )


def through(database: Database, turns: Turns) -> Through:
    return Through(Router(turns, [Deduplicate(DatabaseEventClaims(database))]))


async def count(database: Database, model: type, **where: Any) -> int:
    async with database.transaction() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await session.scalar(query) or 0)


async def store(database: Database, *rows: dict[str, Any]) -> None:
    commit = GroupCommit(database)
    for values in rows:
        await commit.store(values)


async def test_only_lane_heads_are_claimed_and_the_next_follows_when_done(
    database: Database,
) -> None:
    await store(database, row("w:a1", "A"), row("w:a2", "A"), row("w:b1", "B"))
    handler = through(database, Turns(database))
    one = worker(database, handler, "one")
    first = await one._claim(10)
    assert [e.key for e in first] == ["w:a1", "w:b1"]
    assert await worker(database, handler, "two")._claim(10) == []  # both heads are leased
    await one._process(first[0])
    nxt = await one._claim(10)
    assert [e.key for e in nxt] == ["w:a2"]
    await one._process(first[1])
    await one._process(nxt[0])
    assert await count(database, InboxEvent, status=InboxEventStatus.DONE) == 1
    await one.flush()  # done marks ride on the next claim's transaction
    assert await count(database, InboxEvent, status=InboxEventStatus.DONE) == 3
    assert await count(database, InboxMessage) == 3


async def test_a_turn_that_committed_is_not_run_again_when_its_worker_died(
    database: Database,
) -> None:
    await store(database, row("w:e1", "A"))
    turns = Turns(database)
    dying = worker(database, through(database, turns), "dying", lease=0.0)
    (event,) = await dying._claim(1)
    with finishing(event, worker="dying", now=datetime.now(UTC)):
        await through(database, turns).process(event)  # turn committed, no answer, no "done"
    assert await count(database, InboxEvent, status=InboxEventStatus.CLAIMED) == 1
    handler = through(database, turns)
    taker = worker(database, handler, "taker")
    (again,) = await taker._claim(1)
    assert again.tries == 2 and again.processed
    await taker._process(again)
    await taker.flush()
    assert handler.events == [] and turns.seen == 1
    assert await count(database, InboxMessage) == 1
    assert await count(database, InboxEvent, status=InboxEventStatus.DONE) == 1


async def test_a_turn_that_never_committed_runs_again_and_its_event_id_is_free(
    database: Database,
) -> None:
    await store(database, row("w:e1", "A"))
    dying = worker(database, through(database, Turns(database, fail=True)), "dying", lease=0.0)
    (event,) = await dying._claim(1)
    with finishing(event, worker="dying", now=datetime.now(UTC)), pytest.raises(RuntimeError):
        await through(database, Turns(database, fail=True)).process(event)  # claimed, then failed
    assert await count(database, ProcessedEvent) == 0, "the claim rolled back with the turn"
    turns = Turns(database)
    taker = worker(database, through(database, turns), "taker")
    (again,) = await taker._claim(1)
    assert again.tries == 2 and not again.processed
    await taker._process(again)
    await taker.flush()
    assert turns.seen == 1
    assert await count(database, InboxMessage) == 1
    assert await count(database, ProcessedEvent) == 1
    assert await count(database, InboxEvent, status=InboxEventStatus.DONE) == 1


async def test_a_nested_commit_inside_the_turn_does_not_count_as_the_turn(
    database: Database,
) -> None:
    await store(database, row("w:e1", "A"))
    one = worker(database, through(database, Turns(database)), "one", lease=0.0)
    (event,) = await one._claim(1)
    with finishing(event, worker="one", now=datetime.now(UTC)), pytest.raises(RuntimeError):
        async with database.transaction() as outer:
            await outer.scalar(select(func.count()).select_from(InboxMessage))
            async with database.transaction() as inner:  # e.g. a scorer's cache
                inner.add(InboxMessage(identity="A", key="inner"))
            outer.add(InboxMessage(identity="A", key="outer"))
            await outer.flush()
            raise RuntimeError("the turn fails after the nested commit")
    (again,) = await worker(database, through(database, Turns(database)), "two")._claim(1)
    assert not again.processed


async def test_a_failing_event_is_retried_later_then_dead_and_its_lane_goes_on(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime_inbox, "MAX_TRIES", 2)
    await store(database, row("w:bad", "A"), row("w:good", "A"))

    class Broken:
        async def process(self, event: ClaimedEvent) -> None:
            raise ValueError("cannot read this row")

    one = InboxWorker(database, {PLATFORM: Broken()}, worker="one")
    (event,) = await one._claim(5)
    await one._process(event)
    assert await one._claim(5) == []  # backing off, and its lane waits behind it
    async with database.transaction() as session:
        stored = await session.get(InboxEvent, event.id)
        assert stored is not None and stored.last_error
        stored.lease_until = datetime(2000, 1, 1, tzinfo=UTC)
    (again,) = await one._claim(5)
    assert again.tries == 2
    await one._process(again)
    assert await count(database, InboxEvent, status=InboxEventStatus.DEAD) == 1
    (good,) = await one._claim(5)
    assert good.key == "w:good"


async def test_a_redelivered_key_is_stored_once(database: Database) -> None:
    await store(database, row("w:same", "A"), row("w:same", "A"))
    assert await count(database, InboxEvent) == 1


async def test_a_run_whose_lease_was_taken_back_commits_nothing(database: Database) -> None:
    await store(database, row("w:e1", "A"))
    turns = Turns(database)
    slow = worker(database, through(database, turns), "slow")
    (event,) = await slow._claim(1)
    async with database.transaction() as session:  # another worker took it back meanwhile
        stored = await session.get(InboxEvent, event.id)
        assert stored is not None
        stored.lease_owner, stored.tries = "taker", 2
    await slow._process(event)
    assert turns.seen == 1, "the turn ran"
    assert await count(database, InboxMessage) == 0, "and was rolled back: fenced off"
    async with database.transaction() as session:
        stored = await session.get(InboxEvent, event.id)
        assert stored is not None
        assert (stored.status, stored.lease_owner, stored.processed_at) == (
            InboxEventStatus.CLAIMED,
            "taker",
            None,
        )
