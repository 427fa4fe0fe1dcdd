"""POST /api/messages: authenticate the activity (401 when it fails), run the turn, answer."""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import Bot, CloudAdapterBase
from botbuilder.schema import Activity
from botframework.connector.auth import BotFrameworkAuthentication

from bot.channels.teams.translate import BadActivity, activity_of, check_activity

log = logging.getLogger(__name__)
PATH = "/api/messages"


def _problem(status: int, text: str) -> web.Response:
    return web.json_response({"error": text}, status=status)


def _loopback_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_connection(request: web.Request) -> bool:
    """Whether this connection reached us on a loopback address (local use only)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not isinstance(sockname, tuple) or not sockname:
        return False
    try:
        return ipaddress.ip_address(str(sockname[0]).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class MessagesEndpoint:
    """The Bot Framework messaging endpoint, without the SDK's 500-for-401 and double encoding."""

    def __init__(
        self,
        adapter: CloudAdapterBase,
        auth: BotFrameworkAuthentication,
        bot: Bot,
        *,
        auth_enabled: bool,
    ) -> None:
        self.adapter = adapter
        self.auth = auth
        self.bot = bot
        self.auth_enabled = auth_enabled

    async def _activity(self, request: web.Request) -> tuple[Any, Activity] | web.Response:
        """The body and the activity in it, read as leniently as authentication needs."""
        if "json" not in request.content_type:
            return _problem(415, "expected an application/json activity")
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _problem(400, "the body is not JSON")
        try:
            return body, activity_of(body)
        except BadActivity as exc:
            log.warning("refused a Teams activity: %s", exc)
            return _problem(400, str(exc))

    async def handle(self, request: web.Request) -> web.Response:
        if not self.auth_enabled and not is_loopback_connection(request):
            return _problem(403, "authentication is off, so only local connections are served")
        read = await self._activity(request)
        if isinstance(read, web.Response):
            return read
        body, activity = read
        if not self.auth_enabled and not _loopback_url(activity.service_url):
            log.warning(
                "refused a Teams activity for serviceUrl %.80r: auth is off", body.get("serviceUrl")
            )
            # With nobody authenticated, replies go only where this machine alone listens.
            return _problem(403, "authentication is off, so replies go only to loopback URLs")
        header = request.headers.get("Authorization") or None
        try:
            result = await self.auth.authenticate_request(activity, header)
        except Exception as exc:  # botbuilder raises many types for bad tokens; all mean 401
            log.warning("rejected a Teams activity: %s: %s", type(exc).__name__, exc)
            return _problem(401, "unauthorized")
        try:
            check_activity(body)  # after authentication: strangers get 401, not our reasons
        except BadActivity as exc:
            log.warning("refused a Teams activity: %s", exc)
            return _problem(400, str(exc))
        try:
            response = await self.adapter.process_activity(result, activity, self.bot.on_turn)
        except Exception:
            log.exception("failed to process Teams activity %s (%s)", activity.id, activity.type)
            return _problem(500, "the bot failed to process this activity")
        if response is None:
            return web.Response(status=201)
        return web.json_response(response.body, status=int(response.status or 200))
