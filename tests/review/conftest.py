"""Fixtures: the peer review library, the server with Slack (fake Web API) and a clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content import Catalog
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import SlackDriver
from tests.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from tests.review.helpers import MONDAY
from tests.review.library import peer_catalog

REVIEW_CHANNEL = "CREV"


@pytest.fixture(scope="session")
def peers(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return peer_catalog(Path(tmp_path_factory.mktemp("peer-library")))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    for user, name in (("U1", "ann"), ("U2", "bea"), ("U3", "cem"), ("U4", "dov")):
        fake.add_user(user, tz="Europe/Berlin", name=name)
    for user, name in (("U5", "eli"), ("U6", "fay")):
        fake.add_user(user, tz="Europe/Berlin", name=name)
    fake.add_channel(REVIEW_CHANNEL, public=True, member=True)
    yield fake
    await fake.stop()


async def _driver(url: str, catalog: Catalog, fake: FakeSlack, clock: FakeClock) -> SlackDriver:
    driver = await start_slack(url, catalog, fake)
    assert driver.services.reviews is not None
    driver.services.reviews.use_clock(clock)
    return driver


@pytest.fixture
async def slack(
    sqlite_url: str, peers: Catalog, fake_slack: FakeSlack, clock: FakeClock
) -> AsyncIterator[SlackDriver]:
    """The server on SQLite with Slack mounted against the fake, peer review on a fake clock."""
    driver = await _driver(sqlite_url, peers, fake_slack, clock)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []


@pytest.fixture
async def slack_any(
    db_url: str, peers: Catalog, fake_slack: FakeSlack, clock: FakeClock
) -> AsyncIterator[SlackDriver]:
    """The same on SQLite and PostgreSQL (committed data: concurrent requests really race)."""
    driver = await _driver(db_url, peers, fake_slack, clock)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []
