"""Playground routes: the page, and a JSON API the page posts messages and clicks to."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.channels.web.render import render_message
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.core.ports import Conversation
from bot.core.views import Action, Reply

STATIC = Path(__file__).resolve().parent / "static"
NAME = re.compile(r"^[\w .'-]{1,40}$")
MAX_BODY = 64 * 1024
_ids = itertools.count(1)


def _actor(payload: dict[str, Any]) -> Actor:
    raw = payload.get("user")
    name = raw.strip() if isinstance(raw, str) else ""
    if not NAME.match(name):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "Pick a learner name: letters, digits, spaces, up to 40."}),
            content_type="application/json",
        )
    return Actor("local", name.lower(), display_name=name)


def _reply_json(reply: Reply) -> dict[str, Any]:
    def item(message: Any) -> dict[str, str]:
        message_id = f"m{next(_ids)}"
        return {"id": message_id, "html": render_message(message, message_id)}

    return {
        "replace": item(reply.replace_source) if reply.replace_source else None,
        "messages": [item(m) for m in reply.messages],
        "private": list(reply.private),
    }


def _answer(reply: Reply) -> web.Response:
    if reply.outage:  # the apology, with a status that says "try again later"
        return web.json_response(
            {"error": " ".join(m.fallback for m in reply.messages)}, status=503
        )
    return web.json_response(_reply_json(reply))


async def _payload(request: web.Request) -> dict[str, Any]:
    if request.content_length and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(
            text='{"error": "expected JSON"}', content_type="application/json"
        ) from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text='{"error": "expected a JSON object"}', content_type="application/json"
        )
    return data


def _values(raw: Any) -> dict[str, str | list[str]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, str | list[str]] = {}
    for key, value in raw.items():
        if isinstance(value, list):
            out[str(key)] = [str(v) for v in value]
        elif value is not None:
            out[str(key)] = str(value)
    return out


def parse_text(data: dict[str, Any]) -> Inbound:
    """The typed message in a posted JSON object; HTTPBadRequest when it is not one."""
    return Inbound(_actor(data), TextInput(str(data.get("text", ""))))


def parse_action(data: dict[str, Any]) -> Inbound:
    """The clicked action in a posted JSON object; HTTPBadRequest when it is not one."""
    raw = data.get("action")
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise web.HTTPBadRequest(
            text='{"error": "missing action"}', content_type="application/json"
        )
    args = raw.get("args") if isinstance(raw.get("args"), dict) else {}
    action = Action.of(raw["name"], **{str(k): str(v) for k, v in (args or {}).items()})
    return Inbound(_actor(data), ActionInput(action, _values(data.get("values"))))


class Playground:
    """Serves the page and turns its posts into inbound events for the conversation."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self.index),
            web.post("/playground/api/message", self.message),
            web.post("/playground/api/action", self.action),
            web.static("/playground/static", STATIC),
        ]

    async def index(self, _: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def message(self, request: web.Request) -> web.Response:
        return _answer(await self.conversation.handle(parse_text(await _payload(request))))

    async def action(self, request: web.Request) -> web.Response:
        inbound = parse_action(await _payload(request))
        return _answer(await self.conversation.handle(inbound))
