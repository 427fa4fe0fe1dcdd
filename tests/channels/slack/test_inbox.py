"""Ack first, durably: Slack events are stored in the inbox and acknowledged, then run in order."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict

from sqlalchemy import func, select

from bot.channels.slack.app import inbox_worker
from bot.core.events import Inbound, TextInput
from bot.core.ports import Conversation
from bot.core.views import Reply
from storage.models import Attempt, InboxEvent, InboxEventStatus
from tests.channels.slack.driver import SlackDriver, actions_of, form, signed_headers, text_of
from tests.channels.slack.test_http import first_question


class Gate:
    """A conversation that waits until the test opens the gate."""

    def __init__(self, inner: Conversation) -> None:
        self.inner = inner
        self.open = asyncio.Event()
        self.entered = asyncio.Event()

    async def handle(self, inbound: Inbound) -> Reply:
        self.entered.set()
        await self.open.wait()
        return await self.inner.handle(inbound)


class Recorder:
    """Records each learner's turns (what and when), slowly enough for turns to overlap."""

    def __init__(self, inner: Conversation, seconds: float = 0.01) -> None:
        self.inner, self.seconds = inner, seconds
        self.turns: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        self.active: dict[str, int] = defaultdict(int)
        self.overlaps = 0
        self.most = 0
        self.now = 0

    async def handle(self, inbound: Inbound) -> Reply:
        who = inbound.actor.identity
        self.active[who] += 1
        self.now += 1
        self.most = max(self.most, self.now)
        if self.active[who] > 1:
            self.overlaps += 1
        started = time.monotonic()
        try:
            await asyncio.sleep(self.seconds)
            return await self.inner.handle(inbound)
        finally:
            said = inbound.input.text if isinstance(inbound.input, TextInput) else "action"
            self.turns[who].append((said, started, time.monotonic()))
            self.active[who] -= 1
            self.now -= 1


async def rows(driver: SlackDriver) -> list[InboxEvent]:
    async with driver.services.database.transaction() as session:
        return list(await session.scalars(select(InboxEvent).order_by(InboxEvent.id)))


async def attempts(driver: SlackDriver) -> int:
    async with driver.services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Attempt)) or 0)


async def post_dm(driver: SlackDriver, user: str, text: str, event_id: str) -> int:
    """A DM message event, without waiting for its work."""
    envelope = {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        },
    }
    body = json.dumps(envelope)
    headers = {"Content-Type": "application/json", **signed_headers(body)}
    response = await driver.client.post("/slack/events", data=body, headers=headers)
    await response.read()
    return response.status


async def test_an_answer_is_acked_before_the_engine_runs_and_lands_in_place(
    slack: SlackDriver,
) -> None:
    question = await first_question(slack, "U1")
    listeners = slack.channel.listeners
    gate = Gate(listeners.conversation)
    listeners.conversation = gate
    payload = slack.click_payload("U1", question, actions_of(question)[0])
    response = await slack.post(form(payload), "application/x-www-form-urlencoded")
    assert response.status == 200 and not gate.open.is_set()
    stored = [r for r in await rows(slack) if r.payload["input"].get("action")]
    assert stored[-1].key == f"slack:T1:{payload['type']}:{payload['trigger_id']}"
    assert stored[-1].lane == "slack:T1:U1"
    await asyncio.wait_for(gate.entered.wait(), 5)  # the worker runs it after the ack
    assert await attempts(slack) == 0
    gate.open.set()
    await slack.settle()
    assert await attempts(slack) == 1
    updates = [c for c in slack.fake.calls_to("chat.update") if c.args["ts"] == question["ts"]]
    assert updates, "the clicked question was updated in place"
    final = slack.fake.messages[("DU1", question["ts"])]
    assert "Your answer" in text_of(final)
    assert {r.status for r in await rows(slack)} == {InboxEventStatus.DONE}
    assert all(r.processed_at is not None for r in await rows(slack)), "marked in each turn"


async def test_a_redelivered_event_is_stored_and_run_once(slack: SlackDriver) -> None:
    recorder = Recorder(slack.channel.listeners.conversation)
    slack.channel.listeners.conversation = recorder
    await slack.dm("U1", "help", event_id="EvTwice")
    posted = len(slack.fake.calls_to("chat.postMessage"))
    retried = await slack.dm("U1", "help", event_id="EvTwice", retry=1)
    assert retried.status == 200
    again = await slack.dm("U1", "help", event_id="EvTwice", retry=2)
    assert again.status == 200
    assert len(recorder.turns["slack:T1:U1"]) == 1
    assert len(slack.fake.calls_to("chat.postMessage")) == posted
    assert [r.key for r in await rows(slack)] == ["slack:T1:EvTwice"]


async def test_each_learner_in_order_with_several_workers(slack: SlackDriver) -> None:
    channel = slack.channel
    recorder = Recorder(channel.listeners.conversation, seconds=0.02)
    channel.listeners.conversation = recorder
    extra = [
        inbox_worker(channel.settings, slack.services.database, channel.listeners) for _ in range(2)
    ]
    for worker in extra:
        await worker.start()
        channel.inbox.on_commit(worker.wake)
    try:
        users = ["U1", "U2", "U3"]
        said = ["help", "catalog", "progress", "settings", "help"]
        sends = [
            post_dm(slack, user, f"{text}", f"Ev-{user}-{n}")
            for n, text in enumerate(said)
            for user in users
        ]
        for send in sends:  # in order, each acked before the next is sent
            assert await send == 200
        await slack.settle()
        for worker in extra:
            while worker.running:
                await asyncio.sleep(0.01)
    finally:
        for worker in extra:
            await worker.stop()
    assert recorder.overlaps == 0, "two events of one learner ran at once"
    assert recorder.most > 1, "learners ran in parallel"
    for user in users:
        turns = recorder.turns[f"slack:T1:{user}"]
        assert [t[0] for t in turns] == said
        assert all(a[2] <= b[1] for a, b in itertools.pairwise(turns))
    assert channel.worker is not None
    assert sum(w.processed for w in extra) + channel.worker.processed == len(users) * len(said)
    assert {r.status for r in await rows(slack)} == {InboxEventStatus.DONE}


async def test_many_requests_share_a_commit(slack_sqlite: SlackDriver) -> None:
    inbox = slack_sqlite.channel.inbox
    before_commits, before_rows = inbox.commits, inbox.stored
    statuses = await asyncio.gather(
        *(post_dm(slack_sqlite, f"U{n % 3 + 1}", "help", f"EvBurst{n}") for n in range(30))
    )
    assert statuses == [200] * 30
    await slack_sqlite.settle()
    assert inbox.stored - before_rows == 30
    assert inbox.commits - before_commits < 30, "each commit carried several events"


async def test_an_edge_without_a_worker_stores_and_a_worker_later_answers(
    slack_sqlite: SlackDriver,
) -> None:
    channel = slack_sqlite.channel
    assert channel.worker is not None
    await channel.worker.stop()
    assert await post_dm(slack_sqlite, "U1", "help", "EvLater") == 200
    await asyncio.sleep(0.1)
    assert [r.status for r in await rows(slack_sqlite)] == [InboxEventStatus.PENDING]
    assert not slack_sqlite.fake.calls_to("chat.postMessage")
    later = inbox_worker(channel.settings, slack_sqlite.services.database, channel.listeners)
    await later.start()
    try:
        await slack_sqlite.fake.wait_for(lambda: slack_sqlite.fake.calls_to("chat.postMessage"))
        while later.running or later.processed == 0:
            await asyncio.sleep(0.01)
    finally:
        await later.stop()
    assert [r.status for r in await rows(slack_sqlite)] == [InboxEventStatus.DONE]
