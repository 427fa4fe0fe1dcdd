"""Badges through the real Slack and Teams channels: the fake Slack API and Bot Framework."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.application import Application
from bot.channels.teams.app import TEAMS
from bot.content import Catalog
from bot.web.server import create_app
from storage.models import BadgeAward
from tests.channels.slack.conftest import start_slack
from tests.channels.teams.conftest import FAST
from tests.channels.teams.driver import BOT_ID, TeamsDriver, card_text, elements
from tests.credentials.conftest import PASSING, badge_settings
from tests.credentials.test_announce import bind
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


def image_blocks(blocks: Any) -> list[dict[str, Any]]:
    return [b for b in blocks or [] if isinstance(b, dict) and b.get("type") == "image"]


async def test_slack_badge_uses_the_profile_email_and_is_announced(
    sqlite_url: str, tmp_path: Path, library: Path, badge_catalog: Catalog, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user("U1", name="ann", email="Ann@Example.com")
    fake_slack.add_channel("C42", public=True, member=True)
    settings = badge_settings(sqlite_url, tmp_path, library)
    driver = await start_slack(
        sqlite_url,
        badge_catalog,
        fake_slack,
        keys_dir=settings.keys_dir,
        content_dir=library,
        issuer_name=settings.issuer_name,
    )
    services = driver.services
    try:
        await bind(services, "slack:T1", "slack:T1:C42", policy="announce")
        for text in PASSING:
            await driver.dm("U1", text)
        await services.credentials.announcer.drain()
        async with services.database.transaction() as session:
            award = await session.scalar(select(BadgeAward))
        assert award is not None and award.recipient_email == "ann@example.com"
        assert award.credential_jwt and award.announce_state == "posted"
        earned = [m for m in driver.dms("U1") if "You earned Mini Badge" in str(m.get("blocks"))]
        assert len(earned) == 1 and image_blocks(earned[0].get("blocks"))
        posts = [
            c.args
            for c in fake_slack.calls_to("chat.postMessage")
            if c.args.get("channel") == "C42"
        ]
        assert len(posts) == 1 and posts[0]["text"] == "Ann earned the Mini Badge badge"
        [image] = image_blocks(posts[0].get("blocks"))
        assert image["image_url"].endswith("/badges/images/mini.png")
        assert image["alt_text"] == "Mini Badge badge, issued by Example Academy"
    finally:
        await driver.client.close()
    assert fake_slack.problems == []


@pytest.fixture
async def teams(
    sqlite_url: str, tmp_path: Path, library: Path, badge_catalog: Catalog
) -> AsyncIterator[tuple[TeamsDriver, Application]]:
    connector = await FakeConnector().start()
    services = Application.build(
        badge_settings(sqlite_url, tmp_path, library), catalog=badge_catalog
    )
    app = create_app(services)
    channel = app[TEAMS]
    channel.adapter.policy = FAST
    channel.clients.timeout = FAST.timeout
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield TeamsDriver(client, connector, badge_catalog, channel), services
    await client.close()
    await connector.stop()


async def test_teams_badge_is_celebrated_in_the_bound_channel(
    teams: tuple[TeamsDriver, Application],
) -> None:
    driver, services = teams
    data = {"tenant": {"id": "tenant-1"}, "team": {"id": "19:t@thread.tacv2"}}
    await driver.post(
        driver.activity(
            "lead",
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}],
            conversation={"id": "19:t@thread.tacv2", "conversationType": "channel"},
            channelData=data,
        )
    )
    await bind(services, "teams:tenant-1", "teams:tenant-1:19:t@thread.tacv2", policy="announce")
    await driver.install("ann")
    for text in PASSING:
        await driver.say("ann", text)
    await services.credentials.announcer.drain()
    cards = driver.connector.cards("19:t@thread.tacv2")
    posts = [c for c in cards if "earned Mini Badge" in card_text(c)]
    assert len(posts) == 1
    images = [e for e in elements(posts[0]) if e.get("type") == "Image"]
    assert images and images[0]["url"].endswith("/badges/images/mini.png")
    # Teams gives no e-mail: the earner is asked for one on the card
    assert any("E-mail for your badge" in json.dumps(c) for c in driver.sent_cards)
