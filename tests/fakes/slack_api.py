"""A fake Slack Web API on 127.0.0.1: records calls, checks Block Kit, injects failures."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import WSMsgType, web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS, SURFACE_BLOCKS, MESSAGE_CHARS = 50, 100, 13_000


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int = 200
    error: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    times: int = 1
    lost: bool = False
    """Carry the call out first, then fail or answer late: the answer is what gets lost."""


def block_problems(blocks: Any, limit: int) -> list[str]:
    """What Slack would reject: slack_sdk's model limits, unknown fields and the block counts."""
    if not isinstance(blocks, list):
        return [f"blocks is {type(blocks).__name__}, not a list"]
    problems = [f"{len(blocks)} blocks, limit {limit}"] if len(blocks) > limit else []
    for block in blocks:
        try:
            parsed = Block.parse(block)
            if parsed is None or parsed.to_dict() != block:
                problems.append(f"block does not round-trip through slack_sdk: {block}")
        except Exception as exc:  # any model error is a finding, not a crash of the fake
            problems.append(f"{type(exc).__name__}: {exc} in {str(block)[:200]}")
    return problems


def view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view is not an object"]
    try:
        if View(**view).to_dict() != view:
            return [f"view does not round-trip through slack_sdk: {str(view)[:300]}"]
    except Exception as exc:
        return [f"{type(exc).__name__}: {exc}"]
    return block_problems(view.get("blocks", []), SURFACE_BLOCKS)


def message_problems(args: dict[str, Any]) -> list[str]:
    problems = [] if str(args.get("text") or "").strip() else ["no top-level text fallback"]
    blocks = args.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks is not None:
        problems += block_problems(blocks, MESSAGE_BLOCKS)
        if len(json.dumps(blocks, ensure_ascii=False)) > MESSAGE_CHARS:
            problems.append("msg_blocks_too_long")
    return problems


class FakeSlack:
    """Implements the Web API methods microcred uses; every call is kept in `calls`."""

    def __init__(self, team: str = "T1", bot_user: str = "UBOT", token: str = "xoxb-fake") -> None:
        self.team, self.bot_user, self.token = team, bot_user, token
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self.failures: dict[str, list[Failure]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.responses: list[dict[str, Any]] = []
        self.socket_received: list[dict[str, Any]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self.runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_get("/link/", self._socket)
        self.runner = web.AppRunner(app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    # -- what tests set up and read ----------------------------------------------------

    def add_user(self, user: str, tz: str = "Europe/Berlin", name: str = "", **extra: Any) -> None:
        self.users[user] = {"tz": tz, "name": name or user.lower(), **extra}

    def add_channel(self, channel: str, *, public: bool = True, member: bool = False) -> None:
        self.channels[channel] = {"public": public, "member": member}

    def fail(self, method: str, **failure: Any) -> None:
        """The next call(s) of `method` fail: status=429/503, error='…', delay=seconds;
        lost=True does the work before failing (a post Slack stored, its answer lost)."""
        self.failures.setdefault(method, []).append(Failure(**failure))

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `check()` is truthy (re-checked after every call); return its value."""

        async def ready() -> Any:
            async with self._changed:
                while not (value := check()):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(ready(), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- HTTP ------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        for key in ("blocks", "view", "metadata"):
            if isinstance(args.get(key), str) and args[key][:1] in "[{":
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call(method, args, token))
        await self._notify()
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        queue = self.failures.get(method) or []
        if queue:
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            done = handler(args) if failure.lost and handler is not None else None
            if done is not None:
                await self._notify()
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.status != 200:
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
                body = {"ok": False, "error": "ratelimited" if failure.status == 429 else "fatal"}
                return web.json_response(body, status=failure.status, headers=headers)
            if failure.error:
                return web.json_response({"ok": False, "error": failure.error})
            if done is not None:
                return web.json_response(done)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        result = handler(args)
        await self._notify()
        return web.json_response(result)

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.problems += message_problems(body)
        self.responses.append({"hook": request.match_info["hook"], **body})
        await self._notify()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1})
        await self._notify()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_received.append(json.loads(msg.data))
                await self._notify()
        self.sockets.remove(ws)
        return ws

    async def send_envelope(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Push a Socket Mode envelope to the connected app; return its ack."""
        await self.wait_for(lambda: self.sockets)
        await self.sockets[-1].send_json(envelope)
        envelope_id = envelope["envelope_id"]
        return await self.wait_for(
            lambda: next(
                (m for m in self.socket_received if m.get("envelope_id") == envelope_id), None
            )
        )

    # -- methods -----------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "team_id": self.team,
            "user_id": self.bot_user,
            "bot_id": "BBOT",
            "team": "Fake team",
            "url": "https://fake.slack.test/",
        }

    def _postable(self, channel: str) -> str:
        if channel.startswith("D"):
            return ""
        known = self.channels.get(channel)
        if known is None:
            return "channel_not_found"
        return "" if known["member"] else "not_in_channel"

    def _message(self, args: dict[str, Any], surface: str) -> dict[str, Any] | str:
        problems = message_problems(args)
        self.problems += [f"{surface}: {p}" for p in problems]
        return "invalid_blocks" if problems else ""

    def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        error = self._postable(channel) or self._message(args, "chat.postMessage")
        if error:
            return {"ok": False, "error": error}
        ts = self._next_ts()
        stored = {
            "ts": ts,
            "channel": channel,
            "text": args.get("text"),
            "blocks": args.get("blocks", []),
            "metadata": args.get("metadata"),
            "thread_ts": args.get("thread_ts"),
        }
        self.messages[(channel, ts)] = stored
        return {"ok": True, "channel": channel, "ts": ts, "message": stored}

    def m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel", "")), str(args.get("ts", "")))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        if error := self._message(args, "chat.update"):
            return {"ok": False, "error": error}
        self.messages[key].update(text=args.get("text"), blocks=args.get("blocks", []))
        return {"ok": True, "channel": key[0], "ts": key[1]}

    def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._postable(str(args.get("channel", ""))) or self._message(args, "ephemeral")
        return (
            {"ok": False, "error": error} if error else {"ok": True, "message_ts": self._next_ts()}
        )

    def m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        problems = view_problems(args.get("view"))
        self.problems += [f"views.open: {p}" for p in problems]
        if problems:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **args["view"]}}

    def m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        problems = view_problems(args.get("view"))
        self.problems += [f"views.publish: {p}" for p in problems]
        if problems:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **args["view"]}}

    def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user", ""))
        found = self.users.get(user)
        if found is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": self.team,
                "name": found["name"],
                "real_name": found["name"],
                "tz": found["tz"],
                "locale": found.get("locale", "en-GB"),
                "profile": {"display_name": found["name"].title(), "email": found.get("email", "")},
            },
        }

    def m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", ""))
        if error := self.users.get(user, {}).get("dm_error"):
            return {"ok": False, "error": error}
        return {"ok": True, "channel": {"id": f"D{user}"}}

    def m_conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel["public"]:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        channel["member"] = True
        return {"ok": True, "channel": {"id": args["channel"]}}

    def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channel's messages, newest first; thread replies are not among them."""
        channel = str(args.get("channel", ""))
        found = [
            m
            for (c, ts), m in self.messages.items()
            if c == channel and m.get("thread_ts") in (None, "", ts)
        ]
        found.sort(key=lambda m: m["ts"], reverse=True)
        limit = int(args.get("limit", 100))
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

    def m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent first, then the replies, oldest first."""
        channel, parent = str(args.get("channel", "")), str(args.get("ts", ""))
        if (channel, parent) not in self.messages:
            return {"ok": False, "error": "thread_not_found"}
        found = [
            m
            for (c, ts), m in self.messages.items()
            if c == channel and (ts == parent or m.get("thread_ts") == parent)
        ]
        found.sort(key=lambda m: m["ts"])
        limit = int(args.get("limit", 100))
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

    def m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=t{next(self._ts)}"}

    def m_oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        team = f"T{str(args.get('code', 'X')).upper()}"
        return {
            "ok": True,
            "app_id": "A1",
            "access_token": f"xoxb-{team}",
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": "UBOT2",
            "team": {"id": team, "name": "Installed"},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "UADMIN"},
        }
