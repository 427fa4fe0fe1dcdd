"""`/metrics` for Prometheus (loopback, or a bearer token) and the edge's latency middleware."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST

from bot.runtime.metrics import Metrics
from bot.web.guard import Handler

log = logging.getLogger(__name__)
TIMED_PATHS = frozenset({"/slack/events", "/api/messages"})
TIMED_PREFIXES = ("/playground/api/",)
"""The platform endpoints whose ack latency is measured."""
FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
"""A proxy on this host makes every peer look local: a forwarded request is not loopback."""


def _route(request: web.Request) -> str:
    if request.path in TIMED_PATHS:
        return request.path
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


def timing(metrics: Metrics) -> Middleware:
    """Middleware: the duration of each platform request, by route and status class."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path not in TIMED_PATHS and not request.path.startswith(TIMED_PREFIXES):
            return await handler(request)
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            metrics.request_done(_route(request), status, time.perf_counter() - started)

    return middleware


def from_loopback(request: web.Request) -> bool:
    """Whether the peer is a loopback address and no proxy forwarded the request."""
    if any(name in request.headers for name in FORWARDED):
        return False
    peer = request.transport.get_extra_info("peername") if request.transport else None
    if not isinstance(peer, tuple) or not peer:
        return False
    try:
        return ipaddress.ip_address(str(peer[0]).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _bearer_matches(request: web.Request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_routes(metrics: Metrics, token: str) -> list[web.RouteDef]:
    """GET /metrics: served to loopback; elsewhere only with `Authorization: Bearer <token>`
    (404 when no token is configured, 403 for a missing or wrong one)."""

    async def serve(request: web.Request) -> web.Response:
        if not from_loopback(request):
            if not token:
                raise web.HTTPNotFound()
            if not _bearer_matches(request, token):
                log.info("refused /metrics to %s: missing or wrong token", request.remote)
                raise web.HTTPForbidden()
        body = await metrics.render()
        response = web.Response(body=body)
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        response.headers["Cache-Control"] = "no-store"
        return response

    return [web.get("/metrics", serve)]
