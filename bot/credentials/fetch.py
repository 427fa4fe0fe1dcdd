"""Fetching documents for verification over HTTP(S), with clear reasons when it fails."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10.0


class FetchError(Exception):
    """The URL could not be fetched; the message says why in one line."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


Fetcher = Callable[[str, str], Awaitable[Fetched]]


def _get(url: str, accept: str) -> Fetched:
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url} is not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, headers={"Accept": accept, "User-Agent": "microcred-verify"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            status, kind = response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        body = exc.read(MAX_BYTES + 1)
        status, kind = exc.code, exc.headers.get("Content-Type", "")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url} is unreachable: {reason}") from exc
    if len(body) > MAX_BYTES:
        raise FetchError(f"{url} returned more than {MAX_BYTES // (1024 * 1024)} MB")
    return Fetched(url, status, kind.split(";")[0].strip().lower(), body)


async def fetch(url: str, accept: str = "application/json") -> Fetched:
    """GET `url` without blocking the event loop; FetchError when it cannot be reached."""
    return await asyncio.to_thread(_get, url, accept)
