"""The outbox against a fake Slack that rate-limits, fails with 5xx, and never de-duplicates."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from bot.assessment.scoring import ExactScorer
from bot.channels.slack.client import SERVER_RETRIES, SharedSession
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.oauth import StaticToken
from bot.channels.slack.people import People
from bot.content import Catalog
from bot.core.ports import Clock
from bot.core.views import Message, Text
from bot.delivery import DeliveryOptions, DeliveryService, default_limits
from bot.delivery.outbox import claim, queued
from bot.learning.enrollment import enroll
from bot.learning.hooks import Hooks
from storage.db import Database
from storage.models import AdminAlert, Enrollment, OutboxMessage
from storage.queries.outbox import insert_outbox_rows
from storage.queries.people import ensure_person
from storage.types import utcnow
from tests.delivery.harness import FakeClock, drain
from tests.fakes.slack_limits import LimitedSlack, dump

USERS = [f"U{n}" for n in range(6)]


@pytest.fixture
async def slack() -> AsyncIterator[LimitedSlack]:
    fake = await LimitedSlack(conversation_rate=1, workspace_rate=4).start()
    for user in [*USERS, "UGONE"]:
        fake.add_user(user)
    fake.users["UGONE"]["dm_error"] = "messages_tab_disabled"
    yield fake
    await fake.stop()


@pytest.fixture
async def session() -> AsyncIterator[SharedSession]:
    shared = SharedSession(5.0)
    await shared.open()
    yield shared
    await shared.close()


def outbound(fake: LimitedSlack, session: SharedSession) -> SlackMessenger:
    """The one Slack outbound path, registered as messenger and reconciler (as the server does)."""
    return SlackMessenger(fake.api_url, StaticToken(fake.token), session, People()).for_outbox()


def service(
    database: Database,
    catalog: Catalog,
    fake: LimitedSlack,
    session: SharedSession,
    clock: Clock | None = None,
    **options: Any,
) -> DeliveryService:
    settings: dict[str, Any] = {
        "poll_seconds": 0.02,
        "backoff": 0.1,
        "limits": default_limits(fake.workspace_rate),
        "concurrency": 8,
    }
    delivery = DeliveryService(
        database,
        catalog,
        Hooks(),
        ExactScorer(),
        DeliveryOptions(**(settings | options)),
        clock,
    )
    sender = outbound(fake, session)
    delivery.register(sender, sender)
    return delivery


async def queue_lessons(
    database: Database, users: list[str], each: int, enrollment_id: int | None = None
) -> list[str]:
    """`each` lessons per user, spaced the way a tick queues them (1.1 s per conversation)."""
    now, keys, rows = utcnow(), [], []
    async with database.transaction() as s:
        for user in users:
            for n in range(each):
                key = f"test:{user}:{n}"
                keys.append(key)
                rows.append(
                    queued(
                        key=key,
                        identity=f"slack:T1:{user}",
                        workspace_id="slack:T1",
                        message=Message((Text(f"Lesson {n}"),), f"Lesson {n}"),
                        kind="lesson",
                        due_at=now + timedelta(seconds=1.1 * n),
                        worker="test",
                        enrollment_id=enrollment_id,
                    )
                )
        await insert_outbox_rows(s, rows=rows)
    return keys


async def statuses(database: Database) -> Counter[str]:
    async with database.transaction() as s:
        return Counter(await s.scalars(select(OutboxMessage.status)))


async def test_every_message_arrives_once_through_429s_and_5xxs(
    sqlite_database: Database, mini: Catalog, slack: LimitedSlack, session: SharedSession
) -> None:
    keys = await queue_lessons(sqlite_database, USERS, 3)
    slack.fail("chat.postMessage", status=429, retry_after=2)
    slack.fail("chat.postMessage", status=503, times=2)
    slack.fail_after_post = 2
    delivery = service(sqlite_database, mini, slack, session)
    await drain(delivery, timeout=60, everything=True)
    assert Counter(slack.delivered_keys()) == Counter(keys), dump(slack)
    assert await statuses(sqlite_database) == Counter({"sent": len(keys)})
    for channel, times in slack.accepted_times().items():  # one a second per conversation
        gaps = [b - a for a, b in pairwise(times)]
        assert all(gap >= 0.99 for gap in gaps), (channel, gaps)
    accepted = sorted(t for times in slack.accepted_times().values() for t in times)
    assert all(sum(1 for u in accepted if t <= u < t + 1) <= 4 for t in accepted)
    posts = list(slack.outcomes)
    throttled = next(o for o in posts if o.status == 429)
    in_flight = 0.2  # requests already on their way when the 429 was answered
    after = [o.at for o in posts if o.at > throttled.at + in_flight]
    assert min(after) - throttled.at >= 1.95  # Retry-After: 2 was honoured
    assert sum(o.status == 429 for o in posts) <= 3, dump(slack)  # the limiter avoids most
    assert slack.calls_to("conversations.history")  # unconfirmed sends were looked up


async def test_a_message_that_keeps_failing_is_dead_lettered_with_an_alert(
    sqlite_database: Database, mini: Catalog, slack: LimitedSlack, session: SharedSession
) -> None:
    [key] = await queue_lessons(sqlite_database, ["U1"], 1)
    slack.fail("chat.postMessage", status=503, times=50)
    delivery = service(sqlite_database, mini, slack, session, max_failures=3, backoff=0.05)
    await drain(delivery, timeout=30, everything=True)
    assert await statuses(sqlite_database) == Counter({"dead": 1})
    # each of the 3 tries posts once and re-posts SERVER_RETRIES times after finding nothing
    assert Counter(o.status for o in slack.outcomes) == Counter({503: 3 * (1 + SERVER_RETRIES)})
    assert slack.messages == {}
    async with sqlite_database.transaction() as s:
        [alert] = list(await s.scalars(select(AdminAlert)))
    assert (alert.kind, alert.subject) == ("dead_letter", key)
    assert "slack:T1:U1" not in alert.detail


async def test_an_unreachable_learner_is_paused_not_retried(
    sqlite_database: Database, mini: Catalog, slack: LimitedSlack, session: SharedSession
) -> None:
    async with sqlite_database.transaction() as s:
        person = await ensure_person(s, identity="slack:T1:UGONE", display_name="Gone")
        enrollment, _ = await enroll(s, person=person, program=mini.programs["mini"])
    await queue_lessons(sqlite_database, ["UGONE"], 1, enrollment_id=enrollment.id)
    await drain(service(sqlite_database, mini, slack, session), timeout=30, everything=True)
    assert await statuses(sqlite_database) == Counter({"dead": 1})
    assert slack.calls_to("chat.postMessage") == []
    async with sqlite_database.transaction() as s:
        stored = await s.get(Enrollment, enrollment.id)
        assert stored is not None and stored.status == "paused"
        [alert] = list(await s.scalars(select(AdminAlert)))
    assert alert.kind == "unreachable" and "messages_tab_disabled" in alert.detail


@pytest.mark.parametrize("sent_before_crash", [True, False])
async def test_an_expired_lease_is_reconciled_before_resending(
    sqlite_database: Database,
    mini: Catalog,
    slack: LimitedSlack,
    session: SharedSession,
    sent_before_crash: bool,
) -> None:
    keys = await queue_lessons(sqlite_database, USERS[:3], 1)
    now = utcnow()
    crashed = await claim(
        sqlite_database,
        worker="crashed",
        platforms=("slack",),
        limit=10,
        now=now,
        lease=timedelta(seconds=60),
    )
    assert len(crashed) == 3
    if sent_before_crash:  # the process sent, then died before confirming
        sender = outbound(slack, session)
        for row in crashed:
            await sender.send_direct(row.identity, Message((Text("x"),), "x"), key=row.key)
    later = FakeClock(now + timedelta(seconds=61))
    await drain(service(sqlite_database, mini, slack, session, clock=later), timeout=30)
    assert Counter(slack.delivered_keys()) == Counter(keys)
    assert len(slack.calls_to("chat.postMessage")) == 3
    assert len(slack.calls_to("conversations.history")) == 3
    assert await statuses(sqlite_database) == Counter({"sent": 3})
