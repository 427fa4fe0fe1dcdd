"""The one Slack outbound path against the fake Web API: what people see, and never twice."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.chat_api import EVENT_TYPE
from bot.channels.slack.client import throttle_of
from bot.channels.slack.messenger import SlackMessenger
from bot.core.errors import RateLimited
from bot.core.views import Header, Text, message
from tests.fakes.slack_api import FakeSlack

LESSON = message(Header("Lesson 2"), Text("Water evaporates."), fallback="Your next lesson")


def stored(fake: FakeSlack, ref: str) -> dict[str, Any]:
    _, _, channel, ts = ref.split(":")
    return fake.messages[(channel, ts)]


def in_channel(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return sorted((m for (c, _), m in fake.messages.items() if c == channel), key=lambda m: m["ts"])


def key_of(item: dict[str, Any]) -> dict[str, Any]:
    assert item["metadata"]["event_type"] == EVENT_TYPE
    payload: dict[str, Any] = item["metadata"]["event_payload"]
    return payload


async def test_one_path_posts_dms_and_channel_posts_replies_in_threads_and_updates(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.add_channel("C1", member=True)
    dm = await messenger.send_direct("slack:T1:U1", LESSON, key="k:dm")
    post = await messenger.post_channel("slack:T1:C1", LESSON, key="k:post")
    reply = await messenger.reply_in_thread(
        post, message(Text("In the thread"), fallback="In the thread"), key="k:reply"
    )
    await messenger.update(post, message(Text("Edited"), fallback="Edited"))

    assert [m["text"] for m in in_channel(fake_slack, "DU1")] == ["Your next lesson"]
    assert [m["text"] for m in in_channel(fake_slack, "C1")] == ["Edited", "In the thread"]
    assert stored(fake_slack, reply)["thread_ts"] == post.split(":")[3]
    assert fake_slack.calls_to("chat.postMessage")[-1].args["reply_broadcast"] is False
    keys = [key_of(stored(fake_slack, ref)) for ref in (dm, post, reply)]
    assert keys == [{"key": k, "part": 0} for k in ("k:dm", "k:post", "k:reply")]
    assert len(fake_slack.calls_to("chat.postMessage")) == 3


@pytest.mark.parametrize("lost", ["500", "timeout"])
async def test_a_lost_answer_is_found_by_key_and_not_posted_again(
    messenger: SlackMessenger, fake_slack: FakeSlack, lost: str
) -> None:
    failure = {"status": 500} if lost == "500" else {"delay": 1.5}  # the client gives up at 1 s
    fake_slack.fail("chat.postMessage", lost=True, **failure)
    ref = await messenger.send_direct("slack:T1:U1", LESSON, key="lesson:7")
    [only] = in_channel(fake_slack, "DU1")
    assert stored(fake_slack, ref) is only and key_of(only)["key"] == "lesson:7"
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert fake_slack.calls_to("conversations.history")


async def test_a_lost_thread_reply_is_found_in_the_thread(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    parent = await messenger.send_direct("slack:T1:U1", LESSON, key="review:1")
    fake_slack.fail("chat.postMessage", status=503, lost=True)
    reply = await messenger.reply_in_thread(
        parent, message(Text("Thanks"), fallback="Thanks"), key="review:1:r"
    )
    assert [m["text"] for m in in_channel(fake_slack, "DU1")] == ["Your next lesson", "Thanks"]
    assert stored(fake_slack, reply)["thread_ts"] == parent.split(":")[3]
    assert fake_slack.calls_to("conversations.replies")


async def test_a_post_slack_never_got_is_posted_after_the_lookup(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=503)  # refused before storing
    await messenger.send_direct("slack:T1:U1", LESSON, key="lesson:8")
    assert len(in_channel(fake_slack, "DU1")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert len(fake_slack.calls_to("conversations.history")) == 1


async def test_messages_posted_with_only_a_key_count_as_part_zero(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    raw = AsyncWebClient(token=fake_slack.token, base_url=fake_slack.api_url)
    old = {"event_type": EVENT_TYPE, "event_payload": {"key": "lesson:old"}}
    sent = await raw.chat_postMessage(channel="DU1", text="Lesson 1", metadata=old)
    later = {"event_type": EVENT_TYPE, "event_payload": {"key": "lesson:two", "part": 1}}
    await raw.chat_postMessage(channel="DU1", text="Lesson 2, part 2", metadata=later)
    found = await messenger.find_sent("slack:T1:U1", "lesson:old")
    assert found == f"slack:T1:DU1:{sent['ts']}"
    assert await messenger.find_sent("slack:T1:U1", "lesson:two") is None  # part 0 never came
    assert await messenger.find_sent("slack:T1:U1", "lesson:none") is None


async def test_a_429_is_waited_out_and_posted_once(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    await messenger.send_direct("slack:T1:U1", LESSON, key="lesson:9")
    assert time.monotonic() - started >= 0.95
    assert len(in_channel(fake_slack, "DU1")) == 1
    first, second = fake_slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 0.95


async def test_a_keyed_send_while_slack_limits_the_workspace_is_handed_back(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    """The outbox then pauses the whole workspace instead of piling sends up behind the wait."""
    fake_slack.fail("chat.postMessage", status=429, retry_after=2)
    waiting = asyncio.create_task(messenger.send_direct("slack:T1:U1", LESSON, key="a"))
    throttle = throttle_of(await messenger.client("T1"))
    async with asyncio.timeout(5):
        while not throttle.holding():  # until the 429 is back
            await asyncio.sleep(0.01)
    with pytest.raises(RateLimited) as limited:
        await messenger.send_direct("slack:T1:U2", LESSON, key="b")
    assert limited.value.retry_after >= 1.5  # Retry-After, and a moment for our retry
    await waiting
    assert [len(in_channel(fake_slack, c)) for c in ("DU1", "DU2")] == [1, 0]
