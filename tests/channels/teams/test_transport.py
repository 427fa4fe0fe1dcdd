"""Connector clients: built once, signed by the SDK's credentials, sent on aiohttp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any

import pytest
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import HttpOperationError

from bot.channels.teams.clients import ClientCache
from bot.channels.teams.retry import RetryPolicy, retry_after, status_of, with_retry
from bot.core.errors import RateLimited, Unreachable
from tests.fakes.bot_connector import FakeConnector


class Signing:
    """What MicrosoftAppCredentials does once it holds a token."""

    def signed_session(self, session: Any = None) -> Any:
        session.headers["Authorization"] = "Bearer test-token"
        return session


class Factory:
    built = 0

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        Factory.built += 1
        return ConnectorClient(Signing(), base_url=service_url)


async def test_clients_are_cached_signed_and_speak_utf8(connector: FakeConnector) -> None:
    cache = ClientCache(timeout=2)
    client = await cache.connector(Factory(), "app", connector.url, "aud")
    assert await cache.connector(Factory(), "app", connector.url, "aud") is client
    assert Factory.built == 1
    sent = Activity(type="message", text="Ready? ✅ héllo")
    response = await client.conversations.send_to_conversation("a:1", sent)
    [call] = connector.calls
    assert response.id == "activity-1" and call.authorization == "Bearer test-token"
    assert call.body["text"] == "Ready? ✅ héllo"
    connector.fail(429, retry_after="3")
    with pytest.raises(HttpOperationError) as failed:
        await client.conversations.send_to_conversation("a:1", sent)
    assert status_of(failed.value) == 429 and retry_after(failed.value) == 3.0
    await cache.close()


def test_retry_after_as_an_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    error = SimpleNamespace(response=SimpleNamespace(headers={"Retry-After": when}))
    assert 25 <= (retry_after(error) or 0) <= 30  # type: ignore[arg-type]
    assert retry_after(SimpleNamespace(response=SimpleNamespace(headers={}))) is None  # type: ignore[arg-type]


class Failure(HttpOperationError):
    def __init__(self, status: int) -> None:
        Exception.__init__(self, f"status {status}")
        self.response = SimpleNamespace(status_code=status, headers={})
        self.error = None


async def test_backoff_grows_and_gives_up_or_stops_at_403() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def always(status: int) -> None:
        raise Failure(status)

    policy = RetryPolicy(attempts=4, base_delay=1.0, max_delay=100)
    with pytest.raises(Failure):
        await with_retry(lambda: always(502), policy, sleep=sleep)
    assert len(waits) == 3 and waits[0] < waits[2]  # 0.5–1.5, 1–3, 2–6 seconds
    waits.clear()
    with pytest.raises(Unreachable, match="403"):
        await with_retry(lambda: always(403), policy, sleep=sleep)
    with pytest.raises(Failure):
        await with_retry(lambda: always(400), policy, sleep=sleep)
    assert waits == []  # neither a 403 nor a 400 is worth another try


async def test_long_or_persistent_throttling_is_handed_to_the_caller() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def throttled(after: str) -> None:
        failure = Failure(429)
        failure.response.headers["Retry-After"] = after
        raise failure

    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=5)
    with pytest.raises(RateLimited) as long_wait:
        await with_retry(lambda: throttled("120"), policy, sleep=sleep)
    assert long_wait.value.retry_after == 120 and waits == []
    with pytest.raises(RateLimited) as persistent:
        await with_retry(lambda: throttled("2"), policy, sleep=sleep)
    assert persistent.value.retry_after == 2 and waits == [2, 2]
