"""The fake Slack with Slack's posting limits: 1 message/s per conversation, N/s per workspace.

Beyond a limit chat.postMessage answers 429 with Retry-After. It can also fail with a 5xx
after storing the message (the case only a lookup by our metadata key can resolve), and
conversations.history is indexed per channel. Like its parent it records every call and
never de-duplicates.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.slack_api import Call, FakeSlack

ARGS: web.RequestKey[dict[str, Any]] = web.RequestKey("fake_args", dict)


@dataclass(frozen=True)
class Outcome:
    at: float
    channel: str
    status: int
    key: str
    stored: bool = False


class LimitedSlack(FakeSlack):
    def __init__(
        self, *args: Any, conversation_rate: float = 0, workspace_rate: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.conversation_rate = conversation_rate
        self.workspace_rate = workspace_rate
        self.last_post: dict[str, float] = {}
        self.window: deque[float] = deque()
        self.fail_after_post = 0
        self.outcomes: list[Outcome] = []
        self.by_channel: dict[str, list[dict[str, Any]]] = {}
        self.last_ts = 0.0

    def _limited(self, channel: str, now: float) -> bool:
        last = self.last_post.get(channel, float("-inf"))
        if self.conversation_rate and now - last < 1 / self.conversation_rate:
            return True
        if self.workspace_rate:
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.workspace_rate:
                return True
        return False

    async def _args(self, request: web.Request) -> dict[str, Any]:
        """Parsed once per request (the body cannot be read twice)."""
        if ARGS not in request:
            request[ARGS] = await super()._args(request)
        parsed = request[ARGS]
        return dict(parsed)

    def _next_ts(self) -> str:
        """Epoch-based, like Slack's (so `oldest` in conversations.history means something)."""
        self.last_ts = max(time.time(), self.last_ts + 1e-6)
        return f"{self.last_ts:.6f}"

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "chat.postMessage":
            return await super()._api(request)
        args = await self._args(request)
        channel = str(args.get("channel", ""))
        key = str(((args.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
        now = time.monotonic()
        if self._limited(channel, now):
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            self.calls.append(Call("chat.postMessage", args, token))
            self.outcomes.append(Outcome(now, channel, 429, key))
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers={"Retry-After": "1"})
        self.last_post[channel] = now
        self.window.append(now)
        before = len(self.messages)
        response = await super()._api(request)
        stored = len(self.messages) > before
        if stored and self.fail_after_post > 0:
            self.fail_after_post -= 1
            self.outcomes.append(Outcome(now, channel, 500, key, stored))
            return web.json_response({"ok": False, "error": "fatal"}, status=500)
        self.outcomes.append(Outcome(now, channel, response.status, key, stored))
        return response

    def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        result = super().m_chat_postMessage(args)
        if result.get("ok"):
            self.by_channel.setdefault(result["channel"], []).append(result["message"])
        return result

    def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        found = list(reversed(self.by_channel.get(str(args.get("channel", "")), [])))
        oldest = float(args.get("oldest") or 0)
        found = [m for m in found if float(m["ts"]) > oldest]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit", 100))
        page = found[start : start + limit]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    # -- what tests read ---------------------------------------------------------------

    def delivered_keys(self) -> list[str]:
        """Our key of every message Slack stored (first parts), duplicates included."""
        keys = []
        for message in self.messages.values():
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("part", 0) == 0 and payload.get("key"):
                keys.append(str(payload["key"]))
        return keys

    def accepted_times(self) -> dict[str, list[float]]:
        """Per channel, when each stored post arrived."""
        times: dict[str, list[float]] = {}
        for outcome in self.outcomes:
            if outcome.stored:
                times.setdefault(outcome.channel, []).append(outcome.at)
        return times


def dump(fake: LimitedSlack) -> str:
    """A short description for assertion messages."""
    statuses: dict[int, int] = {}
    for outcome in fake.outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    return json.dumps({"posts": statuses, "stored": len(fake.messages)})
