"""Web API failures (429, 5xx, slow answers, lost channels), slow scoring and refused modals."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.core.events import Inbound
from bot.core.ports import Conversation
from bot.core.views import Reply
from tests.channels.slack.driver import SlackDriver, actions_of, form, text_of
from tests.channels.slack.test_http import first_question


class Slow:
    """A conversation that takes its time (like rubric scoring by a language model)."""

    def __init__(self, inner: Conversation, seconds: float) -> None:
        self.inner, self.seconds = inner, seconds

    async def handle(self, inbound: Inbound) -> Reply:
        await asyncio.sleep(self.seconds)
        return await self.inner.handle(inbound)


async def test_rate_limits_honour_retry_after(slack_sqlite: SlackDriver) -> None:
    fake = slack_sqlite.fake
    fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    response = await slack_sqlite.command("U1", "help")
    assert response.status == 200
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) >= 2 and calls[1].at - calls[0].at >= 1.0
    assert slack_sqlite.dms("U1"), "the message arrived after the retry"
    assert time.monotonic() - started < 5


async def test_server_errors_and_timeouts_are_retried_and_never_post_twice(
    slack_sqlite: SlackDriver,
) -> None:
    fake = slack_sqlite.fake

    def keys() -> list[str]:
        return [m["metadata"]["event_payload"]["key"] for m in slack_sqlite.dms("U1")]

    fake.fail("chat.postMessage", status=503, times=2)  # refused: looked up, then posted again
    await slack_sqlite.command("U1", "help")
    assert len(fake.calls_to("chat.postMessage")) == len(keys()) + 2
    # stored, but the answer takes longer than the 1 s timeout the tests set: found by its key
    fake.fail("chat.postMessage", delay=1.5, lost=True)
    before = len(keys())
    await slack_sqlite.command("U1", "catalog")
    assert len(keys()) > before and len(set(keys())) == len(keys()), keys()
    assert len(fake.calls_to("conversations.history")) == 3


async def test_lost_channels_are_logged_with_a_hint_and_nothing_crashes(
    slack_sqlite: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    fake = slack_sqlite.fake
    fake.fail("chat.postMessage", error="channel_not_found")
    with caplog.at_level(logging.WARNING, "bot.channels.slack"):
        response = await slack_sqlite.command("U1", "help")
    assert response.status == 200
    assert any("channel_not_found" in r.message and "invite" in r.message for r in caplog.records)
    fake.add_user("U9", dm_error="cannot_dm_bot")
    with caplog.at_level(logging.WARNING, "bot.channels.slack"):
        assert (await slack_sqlite.command("U9", "help", channel="C1")).status == 200
    assert any("cannot_dm_bot" in r.message for r in caplog.records)
    fake.fail("users.info", error="missing_scope")
    assert (await slack_sqlite.command("U2", "catalog")).status == 200
    assert slack_sqlite.dms("U2"), "a learner without a profile still learns"
    assert (await slack_sqlite.command("U1", "progress")).status == 200


async def test_slow_scoring_acks_first_and_says_checking(slack_sqlite: SlackDriver) -> None:
    question = await first_question(slack_sqlite, "U1")
    listeners = slack_sqlite.channel.listeners
    listeners.budget = 0.05
    listeners.conversation = Slow(listeners.conversation, 0.5)
    button = actions_of(question)[0]
    started = time.monotonic()
    payload = slack_sqlite.click_payload("U1", question, button)
    response = await slack_sqlite.post(form(payload), "application/x-www-form-urlencoded")
    assert response.status == 200 and time.monotonic() - started < 0.4
    fake = slack_sqlite.fake
    checking = await fake.wait_for(
        lambda: [c for c in fake.calls_to("chat.update") if "Checking" in str(c.args.get("text"))]
    )
    assert checking[0].args["ts"] == question["ts"]
    assert not any(b["type"] == "actions" for b in checking[0].args["blocks"])
    await slack_sqlite.settle()
    final = fake.messages[("DU1", question["ts"])]
    assert "Your answer" in text_of(final) and "Checking" not in text_of(final)


async def test_a_refused_modal_answer_stays_open_with_the_reason(slack_sqlite: SlackDriver) -> None:
    await slack_sqlite.command("U1", "settings")
    message = slack_sqlite.last_with_actions("U1")
    opener = actions_of(message)[0]
    assert opener["text"]["text"] == "Change settings…"
    await slack_sqlite.click("U1", message, opener)
    view = slack_sqlite.fake.calls_to("views.open")[-1].args["view"]
    response = await slack_sqlite.submit("U1", view, {"timezone": "Mars/Olympus", "cadence": ""})
    body = await response.json()
    assert body["response_action"] == "errors"
    assert "not a time zone" in body["errors"]["mcf:timezone"]
    posted = len(slack_sqlite.dms("U1"))
    ok = await slack_sqlite.submit("U1", view, {"timezone": "Europe/Paris", "cadence": ""})
    assert ok.status == 200 and await ok.text() == ""
    assert len(slack_sqlite.dms("U1")) > posted
    assert "Saved: time zone Europe/Paris" in text_of(slack_sqlite.dms("U1")[posted])


async def test_a_command_in_a_channel_answers_in_the_dm_and_points_there(
    slack_sqlite: SlackDriver,
) -> None:
    await slack_sqlite.command("U1", "catalog", channel="C42")
    assert slack_sqlite.dms("U1")
    pointer = slack_sqlite.fake.responses[-1]
    assert pointer["response_type"] == "ephemeral" and "direct messages" in pointer["text"]
