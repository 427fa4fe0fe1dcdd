"""What a failed send means for the outbox: wait and retry, back off, or give up."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from bot.core.errors import RateLimited, Unreachable
from storage.types import utcnow

RETRY_STATUSES = frozenset({408, 412, 425, 500, 502, 503, 504})
GONE_STATUSES = frozenset({403, 404, 410})


@dataclass(frozen=True)
class Verdict:
    action: Literal["throttled", "retry", "gone", "fatal"]
    error: str
    retry_after: float = 0.0
    uncertain: bool = False
    """The platform may have posted the message before failing: look before resending."""


def _response(exc: BaseException) -> Any:
    return getattr(exc, "response", None)


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an SDK error carries (slack_sdk, msrest/botbuilder), if any."""
    for holder in (_response(exc), exc):
        for attr in ("status_code", "status"):
            value = getattr(holder, attr, None)
            if isinstance(value, int):
                return value
    return None


def retry_after_of(exc: BaseException, default: float = 1.0) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date)."""
    headers = getattr(_response(exc), "headers", None) or {}
    raw = ""
    for name in ("Retry-After", "retry-after"):
        value = headers.get(name) if hasattr(headers, "get") else None
        if value:
            raw = str(value[0] if isinstance(value, list) else value)
            break
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - utcnow()).total_seconds())


def _error_code(exc: BaseException) -> str:
    data = getattr(_response(exc), "data", None)
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def classify(exc: BaseException) -> Verdict:
    """Sort a send failure without importing any SDK."""
    text = f"{type(exc).__name__}: {exc}"[:500]
    if isinstance(exc, Unreachable):
        return Verdict("gone", text)
    if isinstance(exc, RateLimited):
        return Verdict("throttled", text, exc.retry_after)
    status = status_of(exc)
    if status == 429 or _error_code(exc) == "ratelimited":
        return Verdict("throttled", text, retry_after_of(exc))
    if status is not None and (status in RETRY_STATUSES or status >= 500):
        return Verdict("retry", text, uncertain=True)
    if status in GONE_STATUSES:
        return Verdict("gone", text)
    if status is not None and 400 <= status < 500:
        return Verdict("fatal", text)
    if status == 200:
        return Verdict("fatal", text)  # the platform answered with an error it explained
    if isinstance(exc, ValueError | TypeError | KeyError | LookupError):
        return Verdict("fatal", text)
    if isinstance(exc, asyncio.TimeoutError | OSError | ConnectionError):
        return Verdict("retry", text, uncertain=True)
    return Verdict("retry", text, uncertain=True)


def backoff(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: between half and all of base·2^(n-1), capped."""
    ceiling = min(cap, base * 2 ** max(failures - 1, 0))
    return ceiling * (rng or random).uniform(0.5, 1.0)
