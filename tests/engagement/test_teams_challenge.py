"""A challenge end to end in Teams: form card, preview, channel card, Join in the channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.application import Application
from bot.content import Catalog
from bot.engagement import Engagement
from bot.web.server import APPLICATION
from storage.models import Challenge
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.channels.teams.conftest import connector, start_driver
from tests.channels.teams.driver import BOT_ID, TENANT, TeamsDriver, card_text, executes, inputs
from tests.fakes.bot_connector import FakeConnector

__all__ = ["connector"]  # the fixture, shared with the Teams channel's tests
THREAD = "19:gen@thread.tacv2"
CHANNEL = f"teams:{TENANT}:{THREAD}"
IN_CHANNEL: dict[str, Any] = {
    "conversation": {"id": THREAD, "conversationType": "channel", "tenantId": TENANT},
    "channelData": {"tenant": {"id": TENANT}, "team": {"id": THREAD}, "channel": {"id": THREAD}},
}


@pytest.fixture
async def teams(
    db_url: str, catalog: Catalog, connector: FakeConnector
) -> AsyncIterator[TeamsDriver]:
    driver = await start_driver(db_url, catalog, connector)
    yield driver
    await driver.client.close()


def services_of(teams: TeamsDriver) -> Application:
    return teams.client.app[APPLICATION]


def action(card: dict[str, Any], title: str) -> dict[str, Any]:
    found = [a for a in executes(card) if a["title"] == title]
    assert found, f"no {title!r} in {[a['title'] for a in executes(card)]}"
    return found[0]


def channel_cards(connector: FakeConnector, kind: str) -> list[dict[str, Any]]:
    """The challenge cards sent to the channel (`send`), or the edits of its parent (`update`)."""
    return [
        c.card
        for c in connector.delivered(kind=kind, conversation=THREAD)
        if c.card is not None and "joined this team" not in card_text(c.card)
    ]


async def read_a_lesson(teams: TeamsDriver, user: str, catalog: Catalog) -> None:
    await teams.say(user, "start secure-coding")
    program = catalog.programs["secure-coding"]
    first = program.lessons[program.steps[0].id]
    for _ in first.pages:
        await teams.say(user, "next")


async def test_a_lead_runs_a_challenge_in_a_teams_channel(
    teams: TeamsDriver, catalog: Catalog
) -> None:
    services = services_of(teams)
    engagement = services.engagement
    assert isinstance(engagement, Engagement)
    install = teams.activity("dana", type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    await teams.post({**install, **IN_CHANNEL})
    async with services.database.transaction() as s:
        dana = await ensure_person(s, identity=f"teams:{TENANT}:aad-dana", display_name="Dana")
        await grant_role(s, person=dana, role="admin")

    await teams.say("dana", "challenge secure-coding")
    form = teams.last_card("dana")
    assert {i["id"] for i in inputs(form)} >= {"program", "goal", "start", "end", "channel"}
    values = {
        "program": "secure-coding",
        "skill": "any",
        "goal": "Privacy week",
        "start": "today",
        "end": "tomorrow",
        "scoring": "mastery",
        "progress": "none",
        "channel": CHANNEL,
        "prize": "Cake",
    }
    await teams.execute("dana", action(form, "Preview"), values)
    preview = teams.last_card("dana")
    assert "Preview: nothing is posted yet" in card_text(preview)
    posted = await teams.execute("dana", action(preview, "Post"))
    assert posted.card is not None and "challenge cancel" in card_text(posted.card)
    await engagement.drain()

    [announcement] = channel_cards(teams.connector, "send")
    assert "Challenge from Dana" in card_text(announcement)
    join = action(announcement, "Join")
    joined = await teams.execute("fi", join, **IN_CHANNEL)
    assert joined.body["value"].startswith("You joined “Privacy week”")
    assert [c for c in joined.calls if c.conversation == THREAD] == []  # nothing public
    again = await teams.execute("fi", join, **IN_CHANNEL)
    assert again.body["value"] == "You are already in “Privacy week”."
    await engagement.drain()
    await engagement.sweep(datetime.now(UTC) + timedelta(minutes=1))  # one edit a minute
    assert "1 taking part" in card_text(channel_cards(teams.connector, "update")[-1])

    await read_a_lesson(teams, "fi", catalog)
    await teams.say("fi", "leaderboard show")
    async with services.database.transaction() as s:
        ends_at = await s.scalar(select(Challenge.ends_at))
    assert ends_at is not None
    assert (await engagement.sweep(ends_at + timedelta(minutes=1))).failed == 0
    sent = channel_cards(teams.connector, "send")
    assert "Challenge results: Privacy week" in card_text(sent[-1])
    assert "1 took part" in card_text(sent[-1])
    assert executes(channel_cards(teams.connector, "update")[-1]) == []  # Join is gone
    mine = await teams.execute("fi", action(sent[-1], "Where am I?"), **IN_CHANNEL)
    assert mine.body["value"].startswith("You are in “Privacy week”")


async def test_other_channel_buttons_still_point_to_the_personal_chat(
    teams: TeamsDriver,
) -> None:
    stale = {"data": {"microcred": {"name": "next", "args": {}}}}
    turn = await teams.execute("fi", stale, **IN_CHANNEL)
    assert "personal chat" in turn.body["value"]
