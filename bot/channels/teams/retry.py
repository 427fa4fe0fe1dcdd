"""Retry connector calls: 429 and 5xx with backoff, 403/404 mean the person is gone."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.core.errors import RateLimited, Unreachable
from bot.core.ports import SendObserver, Unobserved

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({403, 404})
"""Teams answers 403 when the app is blocked or uninstalled, 404 when the chat is gone."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 10.0
    timeout: float = 15.0
    """Seconds one connector request may take before it counts as failed."""

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter around the doubling delay."""
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1) * (0.5 + random.random()))  # noqa: S311


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def _header(exc: BaseException, name: str) -> str:
    headers: Any = getattr(getattr(exc, "response", None), "headers", None) or {}
    return str(headers.get(name, "") or "")


def retry_after(exc: BaseException) -> float | None:
    """Seconds the service asked us to wait (Retry-After as seconds or an HTTP date)."""
    value = _header(exc, "Retry-After").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(exc: HttpOperationError) -> str:
    error = getattr(getattr(exc, "error", None), "error", None)
    code = getattr(error, "code", None) or ""
    return f"Teams answered {status_of(exc)} {code}".strip()


async def with_retry(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str = "connector call",
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    observer: SendObserver | None = None,
) -> T:
    """Run `call`, retrying throttling, server errors and timeouts.

    403/404 raise Unreachable; a 429 that asks for more than `max_delay`, or outlasts our
    attempts, raises RateLimited with the wait Teams asked for.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except HttpOperationError as exc:
            status = status_of(exc)
            if status == 429:
                (observer or Unobserved()).throttled("teams")
            if status in GONE_STATUSES:
                raise Unreachable(_reason(exc)) from exc
            asked = retry_after(exc)
            if status == 429 and (
                attempt >= policy.attempts or (asked is not None and asked > policy.max_delay)
            ):  # longer than we wait inline: the caller (the outbox) reschedules
                raise RateLimited(asked or policy.backoff(attempt), _reason(exc)) from exc
            if status not in RETRY_STATUSES or attempt >= policy.attempts:
                raise
            delay = policy.backoff(attempt) if asked is None else asked
            log.warning("%s got %s; retry %d in %.2fs", what, status, attempt, delay)
        except ClientRequestError as exc:
            if attempt >= policy.attempts:
                raise
            delay = policy.backoff(attempt)
            log.warning("%s failed (%s); retry %d in %.2fs", what, exc, attempt, delay)
        await sleep(delay)
