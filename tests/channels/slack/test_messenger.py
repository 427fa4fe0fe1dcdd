"""SlackMessenger: DMs with an idempotency key, channel posts, updates, and who is unreachable."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.channels.slack.messenger import EVENT_TYPE, SlackMessenger
from bot.core.errors import Unreachable
from bot.core.views import Header, Text, message
from tests.fakes.slack_api import FakeSlack

LESSON = message(Header("Lesson 2"), Text("**Hello** <!channel>"), fallback="Your next lesson")


async def test_send_direct_opens_the_dm_and_carries_the_key(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    ref = await messenger.send_direct("slack:T1:U1", LESSON, key="lesson:1:2")
    team, channel, ts = ref.split(":")[1:]
    assert (team, channel) == ("T1", "DU1")
    sent = fake_slack.messages[(channel, ts)]
    payload = {"key": "lesson:1:2", "part": 0}
    assert sent["metadata"] == {"event_type": EVENT_TYPE, "event_payload": payload}
    assert "&lt;!channel&gt;" in str(sent["blocks"])
    assert fake_slack.calls_to("chat.postMessage")[0].token == fake_slack.token


async def test_a_send_that_could_not_be_checked_is_looked_up_before_the_next_try(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=500, lost=True)  # stored, the answer lost
    fake_slack.fail("conversations.history", status=503, times=3)  # and Slack cannot tell
    with pytest.raises(SlackApiError):
        await messenger.send_direct("slack:T1:U1", LESSON, key="k1")
    again = await messenger.send_direct("slack:T1:U1", LESSON, key="k1")  # the caller retries
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    [(channel, ts)] = list(fake_slack.messages)
    assert again == f"slack:T1:{channel}:{ts}"
    other = await messenger.send_direct("slack:T1:U1", LESSON, key="k2")
    assert other != again and len(fake_slack.messages) == 2


async def test_update_replaces_by_reference(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    ref = await messenger.send_direct("slack:T1:U1", LESSON, key="k")
    await messenger.update(ref, message(Text("Done"), fallback="Done"))
    _, _, channel, ts = ref.split(":")
    assert fake_slack.messages[(channel, ts)]["text"] == "Done"


async def test_post_channel_joins_public_channels(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.add_channel("C1", public=True, member=False)
    ref = await messenger.post_channel("slack:T1:C1", LESSON, key="a1")
    assert ref.startswith("slack:T1:C1:")
    assert [c.method for c in fake_slack.calls][-3:] == [
        "chat.postMessage",
        "conversations.join",
        "chat.postMessage",
    ]


async def test_private_and_unknown_channels_and_lost_people_are_unreachable(
    messenger: SlackMessenger, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.add_channel("G1", public=False, member=False)
    with pytest.raises(Unreachable, match="invite"):
        await messenger.post_channel("slack:T1:G1", LESSON, key="a")
    assert any("/invite @microcred" in r.message for r in caplog.records)
    with pytest.raises(Unreachable, match="channel_not_found"):
        await messenger.post_channel("slack:T1:C404", LESSON, key="a")
    fake_slack.add_user("U7", dm_error="cannot_dm_bot")
    with pytest.raises(Unreachable, match="cannot_dm_bot"):
        await messenger.send_direct("slack:T1:U7", LESSON, key="a")
    fake_slack.fail("chat.postMessage", error="token_revoked")
    with pytest.raises(Unreachable, match="reinstall"):
        await messenger.send_direct("slack:T1:U2", LESSON, key="b")
    fake_slack.fail("chat.postMessage", error="account_inactive")
    with pytest.raises(Unreachable, match="account_inactive"):
        await messenger.send_direct("slack:T1:U3", LESSON, key="c")
    with pytest.raises(ValueError):
        await messenger.send_direct("teams:x:y", LESSON, key="d")
