"""A challenge end to end in Slack: slash command, modal, preview, channel post, join, results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.content import Catalog
from bot.engagement import Engagement
from storage.models import Challenge
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.channels.slack.conftest import fake_slack, start_slack
from tests.channels.slack.driver import SlackDriver, actions_of, text_of
from tests.fakes.slack_api import FakeSlack

__all__ = ["fake_slack"]  # the fixture, shared with the Slack channel's tests


def label(element: dict[str, Any]) -> str:
    return str(element.get("text", {}).get("text", ""))


def element(message: dict[str, Any], name: str) -> dict[str, Any]:
    found = [e for e in actions_of(message) if label(e) == name]
    assert found, f"no {name!r} in {[label(e) for e in actions_of(message)]}"
    return found[0]


def channel_messages(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return sorted((m for (c, _), m in fake.messages.items() if c == channel), key=lambda m: m["ts"])


@pytest.fixture
async def slack(db_url: str, catalog: Catalog, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    fake_slack.add_channel("C1", member=True)
    driver = await start_slack(db_url, catalog, fake_slack)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []


async def read_a_lesson(driver: SlackDriver, user: str) -> None:
    await driver.command(user, "start secure-coding")
    for _ in range(20):
        message = driver.last_with_actions(user)
        first = actions_of(message)[0]
        await driver.click(user, message, first)
        if label(first) == "Continue":
            return
    raise AssertionError("no lesson end")


async def test_a_lead_runs_a_challenge_in_a_slack_channel(slack: SlackDriver) -> None:
    services, fake = slack.services, slack.fake
    engagement = services.engagement
    assert isinstance(engagement, Engagement)
    async with services.database.transaction() as s:
        lead = await ensure_person(s, identity="slack:T1:U1", display_name="Dana")
        await grant_role(s, person=lead, role="admin")

    await slack.command("U3", "challenge", channel="C1")  # not a lead: refused, privately
    assert "Only team leads and admins" in text_of(slack.dms("U3")[-1])
    assert channel_messages(fake, "C1") == []
    await slack.command("U1", "challenge secure-coding", channel="C1")
    pointer = fake.responses[-1]
    assert pointer["response_type"] == "ephemeral"  # the form went to the lead's DM
    form_message = slack.last_with_actions("U1")
    opener = actions_of(form_message)[0]
    assert opener["action_id"].startswith("mcopen:")
    await slack.click("U1", form_message, opener)
    view = fake.calls_to("views.open")[-1].args["view"]
    assert view["title"]["text"] == "New challenge"
    values = {
        "program": "secure-coding",
        "skill": "any",
        "goal": "Ship safer code",
        "start": "today",
        "end": "tomorrow",
        "scoring": "completions",
        "progress": "none",
        "channel": "slack:T1:C1",
        "prize": "A team breakfast",
    }
    bad = await slack.submit("U1", view, {**values, "end": "2001-01-01"})
    errors = (await bad.json())["errors"]
    assert "before it starts" in next(iter(errors.values()))  # inline, the modal stays open
    await slack.submit("U1", view, values)
    preview = slack.last_with_actions("U1")
    assert "Preview: nothing is posted yet" in text_of(preview)
    await slack.click("U1", preview, element(preview, "Post"))
    await engagement.drain()

    [announcement] = channel_messages(fake, "C1")
    assert "Challenge from Dana" in text_of(announcement)
    assert "<@" not in text_of(announcement)
    await slack.click("U2", announcement, element(announcement, "Join"))
    assert "You joined “Ship safer code”" in fake.responses[-1]["text"]
    assert fake.responses[-1]["response_type"] == "ephemeral"
    await engagement.drain()
    await engagement.sweep(datetime.now(UTC) + timedelta(minutes=1))  # one edit a minute
    assert "1 taking part" in text_of(fake.messages[("C1", announcement["ts"])])

    await read_a_lesson(slack, "U2")
    await slack.command("U2", "leaderboard show")
    async with services.database.transaction() as s:
        ends_at = await s.scalar(select(Challenge.ends_at))
    assert ends_at is not None
    result = await engagement.sweep(ends_at + timedelta(minutes=1))
    assert result.failed == 0
    posts = channel_messages(fake, "C1")
    results = posts[-1]
    assert "Challenge results: Ship safer code" in text_of(results)
    assert "U2 tops the challenge and wins A team breakfast" in text_of(results)  # as chosen
    assert actions_of(fake.messages[("C1", announcement["ts"])]) == []  # Join retired
    await slack.click("U2", results, element(results, "Where am I?"))
    assert fake.responses[-1]["text"].startswith("You are #1 in “Ship safer code”")
