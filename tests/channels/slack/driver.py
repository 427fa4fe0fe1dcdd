"""Drives the running server the way Slack does: signed HTTP requests, answers from the fake."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.application import Application
from bot.channels.slack.app import SlackChannel
from bot.content import Catalog
from storage.queries.event_inbox import open_events
from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"
TEAM = "T1"
_ids = itertools.count(1)


def signature(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: str, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    timestamp = int(time.time()) - age
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature(body, timestamp, secret),
    }


def form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def actions_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def args_of(element: dict[str, Any]) -> dict[str, str]:
    return dict(parse_qsl(element.get("value", ""), keep_blank_values=True))


def text_of(message: dict[str, Any]) -> str:
    parts = [str(message.get("text") or "")]
    for block in message.get("blocks", []):
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


@dataclass
class SlackDriver:
    client: TestClient
    fake: FakeSlack
    catalog: Catalog
    channel: SlackChannel
    services: Application
    statuses: list[int] = field(default_factory=list)

    async def post(
        self, body: str, content_type: str, *, secret: str = SECRET, age: int = 0
    ) -> ClientResponse:
        headers = {"Content-Type": content_type, **signed_headers(body, secret=secret, age=age)}
        response = await self.client.post("/slack/events", data=body, headers=headers)
        await response.read()
        self.statuses.append(response.status)
        return response

    async def settle(self, timeout: float = 30.0) -> None:
        """Wait for the work each request started after its ack: the inbox drained (every
        stored event run and answered) and background tasks done."""
        deadline = time.monotonic() + timeout
        worker = self.channel.worker
        while time.monotonic() < deadline:
            if self.channel.background.running:
                await asyncio.wait(set(self.channel.background.running), timeout=10)
                continue
            if worker is not None and worker.running:
                await asyncio.wait(set(worker.running.values()), timeout=10)
                continue
            if not self.channel.inbox.pending and await self.open_events() == 0:
                return
            await asyncio.sleep(0.005)
        raise AssertionError("the Slack inbox did not drain")

    async def open_events(self) -> int:
        """Stored events not yet run and answered."""
        async with self.services.database.transaction() as session:
            return await open_events(session)

    async def command(self, user: str, text: str, channel: str = "") -> ClientResponse:
        body = urlencode(
            {
                "token": "x",
                "team_id": TEAM,
                "channel_id": channel or f"D{user}",
                "channel_name": "directmessage",
                "user_id": user,
                "command": "/learn",
                "text": text,
                "response_url": self.fake.response_url(f"cmd{next(_ids)}"),
                "trigger_id": f"trig-cmd-{next(_ids)}",
            }
        )
        response = await self.post(body, "application/x-www-form-urlencoded")
        await self.settle()
        return response

    async def event(
        self, event: dict[str, Any], event_id: str = "", retry: int | None = None
    ) -> ClientResponse:
        envelope = {
            "token": "x",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids)}",
            "event_time": int(time.time()),
            "event": event,
        }
        body = json.dumps(envelope)
        headers = signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        response = await self.client.post(
            "/slack/events", data=body, headers={"Content-Type": "application/json", **headers}
        )
        await response.read()
        await self.settle()
        return response

    async def dm(self, user: str, text: str, **kw: Any) -> ClientResponse:
        event = {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        }
        return await self.event(event, **kw)

    def dms(self, user: str) -> list[dict[str, Any]]:
        found = [m for (c, _), m in self.fake.messages.items() if c == f"D{user}"]
        return sorted(found, key=lambda m: m["ts"])

    def last_with_actions(self, user: str) -> dict[str, Any]:
        return next(m for m in reversed(self.dms(user)) if actions_of(m))

    def click_payload(
        self,
        user: str,
        message: dict[str, Any],
        element: dict[str, Any],
        trigger: str = "",
        values: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        channel = message["channel"]
        return {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "fake"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A1",
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "channel": {"id": channel},
            "message": {"ts": message["ts"], "text": message["text"], "blocks": message["blocks"]},
            "trigger_id": trigger or f"trig-{next(_ids)}",
            "response_url": self.fake.response_url(f"act{next(_ids)}"),
            "state": {"values": values or {}},
            "actions": [
                {
                    "type": "button",
                    "action_id": element["action_id"],
                    "block_id": "b",
                    "value": element.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    async def click(
        self, user: str, message: dict[str, Any], element: dict[str, Any], **kw: Any
    ) -> ClientResponse:
        response = await self.post(
            form(self.click_payload(user, message, element, **kw)),
            "application/x-www-form-urlencoded",
        )
        await self.settle()
        return response

    async def submit(
        self, user: str, view: dict[str, Any], values: dict[str, Any]
    ) -> ClientResponse:
        """Submit a modal the fake was asked to open; `values` by field name."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            name = block["block_id"].removeprefix("mcf:")
            kind = block["element"]["type"]
            value = values.get(name, "")
            if kind == "checkboxes":
                entry = {"type": kind, "selected_options": [{"value": v} for v in value]}
            else:
                entry = {"type": kind, "value": value}
            state[block["block_id"]] = {block["element"]["action_id"]: entry}
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "fake"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A1",
            "trigger_id": f"trig-view-{next(_ids)}",
            "view": {**view, "id": "V1", "hash": f"h{next(_ids)}", "state": {"values": state}},
        }
        response = await self.post(form(payload), "application/x-www-form-urlencoded")
        await self.settle()
        return response
