"""Fixtures: the fake Slack Web API and the real server with Slack mounted, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.application import Application
from bot.channels.slack.client import SharedSession
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.mount import SLACK
from bot.channels.slack.oauth import StaticToken
from bot.channels.slack.people import People
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from tests.channels.slack.driver import SECRET, SlackDriver
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    for user in ("U1", "U2", "U3"):
        fake.add_user(user, tz="Europe/Berlin")
    yield fake
    await fake.stop()


@pytest.fixture
async def messenger(fake_slack: FakeSlack) -> AsyncIterator[SlackMessenger]:
    """The one outbound path against the fake Web API, with a 1 s timeout."""
    session = SharedSession(timeout=1.0)
    await session.open()
    yield SlackMessenger(fake_slack.api_url, StaticToken(fake_slack.token), session, People(), 1.0)
    await session.close()
    assert fake_slack.problems == []


async def start_slack(url: str, catalog: Catalog, fake: FakeSlack, **settings: Any) -> SlackDriver:
    options: dict[str, Any] = {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
    }
    options.update(settings)
    services = Application.build(Settings(database_url=url, **options), catalog=catalog)
    app = create_app(services)
    channel = app[SLACK]
    channel.session.timeout = 1.0
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return SlackDriver(client, fake, catalog, channel, services)


@pytest.fixture
async def slack(db_url: str, catalog: Catalog, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    """The server on SQLite and PostgreSQL, talking to the fake Slack."""
    driver = await start_slack(db_url, catalog, fake_slack)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []


@pytest.fixture
async def slack_sqlite(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack
) -> AsyncIterator[SlackDriver]:
    driver = await start_slack(sqlite_url, catalog, fake_slack)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []
