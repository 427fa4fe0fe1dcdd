"""Web API clients: our base URL, the one retry policy, one shared HTTP session.

The policy: a 429 waits out Retry-After and tries again (slack_sdk's handler), for every
call. 5xx answers, resets and timeouts are retried with backoff for every call except
chat.postMessage: a post whose answer was lost may have been posted, so the messenger
retries it only after looking its key up (bot/channels/slack/chat_api.py).
"""

from __future__ import annotations

import asyncio
import time

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

from bot.channels.slack.errors import retry_after_header
from bot.core.ports import SendObserver, Unobserved

SERVER_ERRORS = (500, 502, 503, 504)
DEFAULT_TIMEOUT = 10.0
"""Seconds for one Web API call, retries aside."""
RATE_LIMIT_RETRIES = 3
SERVER_RETRIES = 2
"""Retries of a 5xx, a reset or a timeout (a keyed post: each after a lookup by key)."""
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.25)
"""0.25·2^n seconds plus up to 1 s of jitter before retry n (a keyed re-post waits at least
HOLD_MARGIN)."""
HOLD_MARGIN = 1.0
"""Seconds a retry of ours keeps the workspace to itself after it goes out (Slack allows
about one message a second per conversation): paced callers then never collide with it."""
UNSAFE = ("chat.postMessage",)
"""Methods that must not be re-sent blindly: a lost answer may mean it was done."""


def _safe(request: HttpRequest) -> bool:
    return not request.url.endswith(UNSAFE)


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (sleeps Retry-After, then retries), which also keeps the
    workspace on hold: keyed sends starting meanwhile wait or are handed back (messenger.py)."""

    def __init__(self, max_retry_count: int = RATE_LIMIT_RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.until = 0.0
        """time.monotonic() at which Slack's last Retry-After ends."""
        self.held = 0.0
        """Until when new keyed sends are handed back (Retry-After and slack_sdk's jitter)."""
        self.retries: dict[object, float] = {}
        """Retries of lost posts on their way, and until when each holds the workspace."""
        self.observer: SendObserver = Unobserved()
        """Counts every 429 (SlackMessenger.observe sets the application's metrics)."""

    def waiting(self) -> float:
        return max(0.0, self.until - time.monotonic())

    def holding(self) -> float:
        return max(0.0, max(self.until, self.held, *self.retries.values()) - time.monotonic())

    def hold(self, seconds: float) -> None:
        self.held = max(self.held, time.monotonic() + seconds)

    def retrying(self, retry: object, seconds: float) -> None:
        """Hold for `seconds` while `retry` (a lost post being looked up) is on its way."""
        self.retries[retry] = time.monotonic() + seconds

    def retried(self, retry: object) -> None:
        """`retry` is through (posted, found, or given up): its hold ends now."""
        self.retries.pop(retry, None)

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if error is None and response is not None and response.status_code == 429:
            self.observer.throttled("slack")  # every 429, the last one (not retried) too
        return await super().can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is not None:
            wait = retry_after_header(response.headers)
            self.until = max(self.until, time.monotonic() + wait)
            self.hold(wait + 1.0 + HOLD_MARGIN)  # slack_sdk adds up to 1 s of jitter
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


class ServerErrorRetry(AsyncRetryHandler):
    """Retry 5xx answers with exponential backoff and jitter (not chat.postMessage)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS and _safe(request)


class ConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retry resets and timeouts (not chat.postMessage)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        found = await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )
        return found and _safe(request)


def retry_handlers() -> list[AsyncRetryHandler]:
    """The one retry policy (see the module docstring); new handlers for each client."""
    errors: list[type[Exception]] = [
        aiohttp.ServerConnectionError,  # includes ServerDisconnectedError and ServerTimeoutError
        aiohttp.ClientOSError,
        asyncio.TimeoutError,
    ]
    return [
        ConnectionRetry(SERVER_RETRIES, BACKOFF, errors),
        RateLimitRetry(),
        ServerErrorRetry(SERVER_RETRIES, BACKOFF),
    ]


def throttle_of(client: AsyncWebClient) -> RateLimitRetry:
    """The 429 handler of a client made by `web_client` (its waits and holds)."""
    found = [h for h in client.retry_handlers or () if isinstance(h, RateLimitRetry)]
    if not found:
        raise ValueError("not a client made by web_client()")
    return found[0]


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
