"""An msrest HTTP driver for ConnectorClient on one shared aiohttp session.

The SDK's default driver runs `requests` in the thread pool, with a session per thread;
this one sends on the event loop and keeps connections alive across turns. Credentials
still sign through the SDK's policy: it sets the bearer token on the driver's requests
session, and we copy that header onto each request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
from msrest.exceptions import ClientRequestError
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse
from msrest.universal_http.async_abc import AsyncClientResponse
from msrest.universal_http.async_requests import AsyncRequestsHTTPSender

_DROP = frozenset({"content-length", "host"})


class AioHttpDriver(AsyncRequestsHTTPSender):
    """Sends ConnectorClient requests with aiohttp; failures raise msrest's ClientRequestError."""

    def __init__(self, config: Any, http: Callable[[], aiohttp.ClientSession], timeout: float):
        super().__init__(config)
        self._http = http
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, request: ClientRequest, **kwargs: Any) -> AsyncClientResponse:  # type: ignore[override]
        signed = kwargs.get("session") or self.session
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP}
        if authorization := signed.headers.get("Authorization"):
            headers["Authorization"] = authorization
        data = request.data.encode() if isinstance(request.data, str) else request.data
        try:
            raw = await self._http().request(
                request.method, request.url, headers=headers, data=data, timeout=self._timeout
            )
            response = AioHttpClientResponse(request, raw)
            await response.load_body()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ClientRequestError(f"connector request failed: {exc!r}") from exc
        return response


class SharedSession:
    """One aiohttp ClientSession for every connector client, opened on first use."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def __call__(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=100, limit_per_host=50, keepalive_timeout=60)
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
