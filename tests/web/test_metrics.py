"""`/metrics` over real HTTP: the series after a short Slack journey, who may read them, and
the leader-only outbox gauges; JSON log lines carry the event id and stay redacted."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import Mock

import pytest
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.application import Application
from bot.channels.slack.client import SharedSession
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.oauth import StaticToken
from bot.channels.slack.people import People
from bot.content import Catalog
from bot.core.observing import current_event
from bot.core.views import Message, Text
from bot.delivery.outbox import queued
from bot.logs import JsonFormatter, formatter_for
from bot.redaction import install_redaction, uninstall_redaction
from bot.settings import Settings
from bot.web.metrics import from_loopback
from bot.web.server import create_app
from storage.models import OutboxMessage, OutboxStatus
from storage.queries.outbox import insert_outbox_rows
from storage.types import utcnow
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import SlackDriver
from tests.channels.teams.conftest import start_driver
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack
from tests.web.session import signed_in_browser

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
TOKEN = "metrics-token-for-tests-0123456789"


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of `name` over every series whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def names(samples: Samples) -> set[str]:
    return {name for name, _ in samples}


async def scrape(client: TestClient, **headers: str) -> Samples:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/plain"
    return parse(await response.text())


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    async def wait() -> None:
        while not await check():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), timeout)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    fake.add_user("U1")
    yield fake
    await fake.stop()
    assert fake.problems == []


@pytest.fixture
async def slack(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack
) -> AsyncIterator[SlackDriver]:
    driver = await start_slack(sqlite_url, catalog, fake_slack)
    yield driver
    await driver.client.close()


@pytest.fixture
async def playground(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack
) -> AsyncIterator[tuple[TestClient, Application]]:
    """The playground, signed in, and Slack's one outbound path against the fake (registered
    as `mount_slack` would, without the Slack endpoint)."""
    application = Application.build(Settings(database_url=sqlite_url), catalog=catalog)
    client = await signed_in_browser(create_app(application))
    session = SharedSession(timeout=5.0)
    await session.open()
    tokens = StaticToken(fake_slack.token)
    application.register(SlackMessenger(fake_slack.api_url, tokens, session, People(), 5.0))
    yield client, application
    await client.close()
    await session.close()


async def status_of(application: Application, key: str) -> str | None:
    async with application.database.transaction() as session:
        return await session.scalar(select(OutboxMessage.status).where(OutboxMessage.key == key))


async def queue_three(application: Application) -> None:
    """A Slack lesson due now, a Teams one to nobody installed (unreachable), and one 90 s
    overdue on a platform no process serves (it waits, for the leader's gauges)."""
    now = utcnow()
    message = Message((Text("Lesson 1"),), "Lesson 1")
    rows = [
        queued(
            key="metrics:slack:1",
            identity="slack:T1:U1",
            workspace_id="slack:T1",
            message=message,
            kind="lesson",
            due_at=now,
            worker="test",
        ),
        queued(
            key="metrics:teams:1",
            identity="teams:TEN:29:abc",
            workspace_id="teams:TEN",
            message=message,
            kind="lesson",
            due_at=now,
            worker="test",
        ),
        queued(
            key="metrics:nowhere:1",
            identity="nowhere:N1:u1",
            workspace_id="nowhere:N1",
            message=message,
            kind="lesson",
            due_at=now - timedelta(seconds=90),
            worker="test",
        ),
    ]
    async with application.database.transaction() as session:
        await insert_outbox_rows(session, rows=rows)


async def test_a_journey_shows_in_every_series_and_the_leader_adds_the_outbox(
    playground: tuple[TestClient, Application], fake_slack: FakeSlack
) -> None:
    client, application = playground
    before = await scrape(client)
    assert "microcred_outbox_depth" not in names(before)  # not the leader (nothing started)
    for text in ("help", "catalog", "start mini"):
        response = await client.post("/playground/api/message", json={"user": "Ann", "text": text})
        assert response.status == 200, await response.text()
    await queue_three(application)
    fake_slack.fail("conversations.open", status=429, retry_after=1)  # waited out inline
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("bot.delivery").addHandler(handler)

    async def sent_and_leading() -> bool:
        sent = await status_of(application, "metrics:slack:1") == OutboxStatus.SENT
        dead = await status_of(application, "metrics:teams:1") == OutboxStatus.DEAD
        return sent and dead and application.periodic.leader

    try:
        await application.start()
        await until(sent_and_leading)
    finally:
        logging.getLogger("bot.delivery").removeHandler(handler)
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    [gave_up] = [line for line in logged if "gave up on metrics:teams:1" in line["message"]]
    assert gave_up["event_id"] == "metrics:teams:1"  # logged during the send of that row
    after = await scrape(client)
    edge = "microcred_http_request_duration_seconds_count"
    assert total(after, edge, route="/playground/api/message", status="2xx") == 3
    assert total(after, "microcred_http_request_duration_seconds_sum") > 0
    assert total(after, "microcred_event_duration_seconds_count", kind="text") >= 3
    assert total(after, "microcred_event_duration_seconds_sum", kind="text") > 0
    assert total(after, "microcred_event_sql_statements_count", kind="text") >= 3
    assert total(after, "microcred_event_sql_statements_sum", kind="text") >= 3
    sends = "microcred_outbox_sends_total"
    assert total(after, sends, platform="slack", outcome="sent") == 1
    assert total(after, sends, platform="teams", outcome="unreachable") == 1
    outcomes = {dict(labels)["outcome"] for name, labels in after if name == sends}
    assert outcomes <= {"sent", "unreachable", "rate_limited"}  # the 429 may hold one back
    assert total(after, "microcred_http_429_responses_total", platform="slack") == 1
    assert total(after, "microcred_outbox_depth", status="pending") == 1  # nowhere's row
    assert total(after, "microcred_outbox_depth", status="claimed") == 0
    assert total(after, "microcred_outbox_oldest_due_age_seconds") >= 89
    assert "/metrics" not in {dict(labels).get("route") for _, labels in after}


async def test_slack_requests_are_timed_at_the_edge(slack: SlackDriver) -> None:
    for text in ("help", "catalog"):
        assert (await slack.dm("U1", text)).status == 200
    samples = await scrape(slack.client)
    edge = "microcred_http_request_duration_seconds_count"
    assert total(samples, edge, route="/slack/events", status="2xx") >= 2
    assert total(samples, "microcred_event_duration_seconds_count", kind="text") >= 2
    assert total(samples, "microcred_event_sql_statements_sum") > 0


@pytest.fixture
async def open_server(sqlite_url: str, catalog: Catalog) -> AsyncIterator[TestClient]:
    async with _server(sqlite_url, catalog) as client:
        yield client


@pytest.fixture
async def token_server(sqlite_url: str, catalog: Catalog) -> AsyncIterator[TestClient]:
    async with _server(sqlite_url, catalog, metrics_token=TOKEN) as client:
        yield client


class _server:
    def __init__(self, url: str, catalog: Catalog, **settings: Any) -> None:
        application = Application.build(Settings(database_url=url, **settings), catalog=catalog)
        self.client = TestClient(TestServer(create_app(application), host="127.0.0.1"))

    async def __aenter__(self) -> TestClient:
        await self.client.start_server()
        return self.client

    async def __aexit__(self, *_: object) -> None:
        await self.client.close()


ELSEWHERE = {"X-Forwarded-For": "203.0.113.9"}
"""A request a proxy on this host forwarded counts as coming from elsewhere."""


async def test_without_a_token_only_loopback_reads_the_metrics(open_server: TestClient) -> None:
    assert (await open_server.get("/metrics")).status == 200
    assert (await open_server.get("/metrics", headers=ELSEWHERE)).status == 404
    bearer = {**ELSEWHERE, "Authorization": "Bearer anything"}
    assert (await open_server.get("/metrics", headers=bearer)).status == 404


async def test_elsewhere_needs_the_right_bearer_token(token_server: TestClient) -> None:
    assert (await token_server.get("/metrics", headers=ELSEWHERE)).status == 403
    for wrong in ("Bearer nope", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN):
        headers = {**ELSEWHERE, "Authorization": wrong}
        assert (await token_server.get("/metrics", headers=headers)).status == 403, wrong
    right = {**ELSEWHERE, "Authorization": f"Bearer {TOKEN}"}
    samples = await scrape(token_server, **right)
    assert "microcred_event_duration_seconds" not in names(samples)  # no event handled yet
    assert (await token_server.get("/metrics")).status == 200  # loopback needs no token


def _request(host: str, headers: dict[str, str] | None = None) -> Any:
    transport = Mock()
    transport.get_extra_info.return_value = (host, 40000)
    return make_mocked_request("GET", "/metrics", headers=headers or {}, transport=transport)


def test_loopback_is_the_peer_address_unforwarded() -> None:
    assert from_loopback(_request("127.0.0.1"))
    assert from_loopback(_request("::1"))
    assert not from_loopback(_request("10.1.2.3"))
    assert not from_loopback(_request("127.0.0.1", {"X-Forwarded-For": "198.51.100.4"}))


async def test_two_applications_in_one_process_keep_their_own_series(
    open_server: TestClient, sqlite_url: str, catalog: Catalog
) -> None:
    async with _server(sqlite_url, catalog) as other:
        assert (await other.get("/metrics")).status == 200
        assert (await open_server.get("/metrics")).status == 200


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """A logger whose lines are JSON, with secrets redacted as `serve` installs it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter_for(Settings(log_format="json")))
    logger = logging.getLogger("tests.metrics.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    install_redaction(Settings(slack_bot_token="xoxb-secret-bot-token-4242"))
    yield stream
    uninstall_redaction()
    logger.removeHandler(handler)


def test_json_lines_carry_the_event_id_and_are_redacted(json_log: io.StringIO) -> None:
    logger = logging.getLogger("tests.metrics.json")
    assert isinstance(formatter_for(Settings(log_format="json")), JsonFormatter)
    with current_event("Ev123"):
        logger.info("posting with %s", "xoxb-secret-bot-token-4242")
        try:
            raise RuntimeError("token=hunter2-but-longer and xoxb-other-token-1")
        except RuntimeError:
            logger.exception("failed with xoxb-secret-bot-token-4242")
    logger.info("outside any event")
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert [line["event_id"] for line in lines[:2]] == ["Ev123", "Ev123"]
    assert "event_id" not in lines[2]
    assert lines[0]["message"] == "posting with [redacted]"
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "tests.metrics.json"
    assert "RuntimeError" in lines[1]["exception"]
    text = json_log.getvalue()
    assert "xoxb-" not in text and "hunter2" not in text


async def test_teams_activities_and_429s_are_counted(sqlite_url: str, catalog: Catalog) -> None:
    connector = await FakeConnector().start()
    teams = await start_driver(sqlite_url, catalog, connector)
    try:
        await teams.install("bo")
        connector.fail(429, retry_after="0.1")
        message = Message((Text("Hello"),), "Hello")
        await teams.channel.messenger.send_direct("teams:tenant-1:aad-bo", message, key="k")
        samples = await scrape(teams.client)
    finally:
        await teams.client.close()
        await connector.stop()
    edge = "microcred_http_request_duration_seconds_count"
    assert total(samples, edge, route="/api/messages", status="2xx") >= 1
    assert total(samples, "microcred_http_429_responses_total", platform="teams") == 1
