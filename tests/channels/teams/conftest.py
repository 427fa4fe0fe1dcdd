"""Fixtures: a fake Bot Framework connector and the real server with Teams mounted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.application import Application
from bot.channels.teams.app import TEAMS
from bot.channels.teams.retry import RetryPolicy
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from tests.channels.teams.driver import TeamsDriver
from tests.fakes.bot_connector import FakeConnector

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.2, timeout=1.0)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


async def start_driver(url: str, catalog: Catalog, connector: FakeConnector) -> TeamsDriver:
    services = Application.build(Settings(database_url=url), catalog=catalog)
    app = create_app(services)
    channel = app[TEAMS]
    channel.adapter.policy = FAST
    channel.clients.timeout = FAST.timeout
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return TeamsDriver(client, connector, catalog, channel)


@pytest.fixture
async def teams(
    db_url: str, catalog: Catalog, connector: FakeConnector
) -> AsyncIterator[TeamsDriver]:
    """The server on SQLite and PostgreSQL, auth off (loopback), replies to the fake."""
    driver = await start_driver(db_url, catalog, connector)
    yield driver
    await driver.client.close()


@pytest.fixture
async def teams_sqlite(
    sqlite_url: str, catalog: Catalog, connector: FakeConnector
) -> AsyncIterator[TeamsDriver]:
    driver = await start_driver(sqlite_url, catalog, connector)
    yield driver
    await driver.client.close()
