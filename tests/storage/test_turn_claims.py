"""An event id is claimed in the turn's own transaction: a retry of a committed turn is
absorbed, a failed turn leaves the id free, and a turn that wrote nothing still claims it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.core.events import Actor, Inbound, TextInput
from bot.core.middleware import Deduplicate, Router
from bot.core.views import Reply, say
from storage.db import Database
from storage.models import InboxMessage, ProcessedEvent
from storage.queries.events import DatabaseEventClaims


class Writes:
    """A turn of one transaction writing one row, optionally failing before its commit."""

    def __init__(self, database: Database, *, write: bool = True) -> None:
        self.database, self.write = database, write
        self.fail, self.runs = False, 0

    async def handle(self, inbound: Inbound) -> Reply:
        self.runs += 1
        if self.write:
            async with self.database.transaction() as session:
                session.add(InboxMessage(identity="A", key=f"{inbound.event_id}:{self.runs}"))
                await session.flush()
                if self.fail:
                    raise RuntimeError("the turn fails before it commits")
        return say("done")


async def rows(database: Database, model: type) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def router(database: Database, turns: Writes) -> Router:
    return Router(turns, [Deduplicate(DatabaseEventClaims(database))])


def event(event_id: str) -> Inbound:
    return Inbound(Actor("w", "A"), TextInput("x"), event_id)


async def test_a_retry_of_a_committed_turn_gets_no_reply_and_writes_nothing(
    database: Database,
) -> None:
    turns = Writes(database)
    assert (await router(database, turns).handle(event("e1"))).messages
    retry = await router(database, turns).handle(event("e1"))
    assert retry == Reply() and turns.runs == 2, "the retry ran, then rolled back"
    assert await rows(database, InboxMessage) == 1
    assert await rows(database, ProcessedEvent) == 1


async def test_a_failed_turn_leaves_its_event_id_free_for_the_retry(database: Database) -> None:
    turns = Writes(database)
    turns.fail = True
    with pytest.raises(RuntimeError):
        await router(database, turns).handle(event("e1"))
    assert await rows(database, ProcessedEvent) == 0
    turns.fail = False
    assert (await router(database, turns).handle(event("e1"))).messages
    assert await rows(database, InboxMessage) == 1


async def test_a_turn_that_writes_nothing_claims_its_id_afterwards(database: Database) -> None:
    turns = Writes(database, write=False)
    assert (await router(database, turns).handle(event("e1"))).messages
    assert await router(database, turns).handle(event("e1")) == Reply()
    assert await rows(database, ProcessedEvent) == 1


async def test_a_commit_nested_in_the_turn_does_not_carry_the_claim(database: Database) -> None:
    class Nested(Writes):
        async def handle(self, inbound: Inbound) -> Reply:
            async with self.database.transaction() as outer:
                async with self.database.transaction() as inner:  # e.g. a scorer's cache
                    inner.add(InboxMessage(identity="A", key="cache"))
                outer.add(InboxMessage(identity="A", key="turn"))
                await outer.flush()
                raise RuntimeError("the turn fails after the nested commit")

    with pytest.raises(RuntimeError):
        await router(database, Nested(database)).handle(event("e1"))
    assert await rows(database, ProcessedEvent) == 0
    assert (await router(database, Writes(database)).handle(event("e1"))).messages
