"""Web API clients: our base URL, retries for 429/5xx/timeouts, one shared HTTP session."""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

SERVER_ERRORS = (500, 502, 503, 504)
DEFAULT_TIMEOUT = 10.0
"""Seconds for one Web API call, retries aside."""


class ServerErrorRetry(AsyncRetryHandler):
    """Retry 5xx answers with exponential backoff and jitter."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS


def retry_handlers(backoff: float = 0.25) -> list[AsyncRetryHandler]:
    """429 honours Retry-After (3 times); 5xx, resets and timeouts back off (2 times)."""
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    errors: list[type[Exception]] = [
        aiohttp.ServerConnectionError,  # includes ServerDisconnectedError and ServerTimeoutError
        aiohttp.ClientOSError,
        asyncio.TimeoutError,
    ]
    return [
        AsyncConnectionErrorRetryHandler(2, interval, errors),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetry(2, interval),
    ]


def web_client(
    base_url: str, token: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> AsyncWebClient:
    """A client for `base_url` (which ends in '/') with our retry handlers."""
    return AsyncWebClient(
        token=token, base_url=base_url, timeout=int(timeout), retry_handlers=retry_handlers()
    )


class SharedSession:
    """One aiohttp session for every Web API call (created inside the running loop)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self.session: aiohttp.ClientSession | None = None
        self.clients: list[AsyncWebClient] = []

    def attach(self, client: AsyncWebClient) -> AsyncWebClient:
        """Make `client` use the shared session (now, or once it is opened)."""
        self.clients.append(client)
        if self.session is not None:
            client.session = self.session
        return client

    async def open(self) -> None:
        if self.session is None:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            self.session = aiohttp.ClientSession(timeout=timeout)
        for client in self.clients:
            client.session = self.session

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        self.session = None
        for client in self.clients:
            client.session = None
