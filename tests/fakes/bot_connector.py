"""A fake Bot Framework connector service on 127.0.0.1 that records what the bot sends.

Its URL is the `serviceUrl` of the activities tests post to the bot. It answers the
Connector REST calls the bot makes (send, reply, update, create conversation), records each
one, and can inject failures: 429 with Retry-After, 5xx, 403 and slow answers (timeouts).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    """One request the bot made, successful or not."""

    kind: str
    """`send`, `reply`, `update` or `create`."""
    conversation: str
    activity_id: str
    body: dict[str, Any]
    status: int
    authorization: str = ""

    @property
    def card(self) -> dict[str, Any] | None:
        """The Adaptive Card of the activity, if it carries one."""
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = attachment["content"]
                return content
        return None


@dataclass
class Fault:
    status: int
    retry_after: str | None = None
    delay: float = 0.0
    conversation: str | None = None
    times: int = 1
    code: str = "ServiceError"


@dataclass
class FakeConnector:
    """Start with `await connector.start()`; the bot reaches it at `connector.url`."""

    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    """Conversations whose app was uninstalled: every call gets 403."""
    url: str = ""
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> FakeConnector:
        app = web.Application()
        base = "/v3/conversations"
        app.router.add_post(base, self._create)
        app.router.add_post(base + "/{conversation}/activities", self._send)
        app.router.add_post(base + "/{conversation}/activities/{activity}", self._reply)
        app.router.add_put(base + "/{conversation}/activities/{activity}", self._update)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- fault injection -------------------------------------------------------------

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        conversation: str | None = None,
        code: str = "ServiceError",
    ) -> None:
        self.faults.append(Fault(status, retry_after, 0.0, conversation, times, code))

    def stall(self, seconds: float, *, times: int = 1) -> None:
        """Answer the next calls only after `seconds` (the bot's timeout should fire)."""
        self.faults.append(Fault(200, None, seconds, None, times))

    def block(self, conversation: str) -> None:
        self.blocked.add(conversation)

    # ---- reading what the bot did ------------------------------------------------------

    def delivered(self, kind: str | None = None, conversation: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if 200 <= c.status < 300
            and (kind is None or c.kind == kind)
            and (conversation is None or c.conversation == conversation)
        ]

    def cards(self, conversation: str | None = None) -> list[dict[str, Any]]:
        return [c.card for c in self.delivered(conversation=conversation) if c.card]

    def clear(self) -> None:
        self.calls.clear()

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Call]:
        """Wait until at least `count` successful calls were recorded."""

        async def enough() -> None:
            while len(self.delivered()) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(enough(), timeout)
        return self.delivered()

    # ---- handlers ----------------------------------------------------------------------

    def _fault_for(self, conversation: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.conversation in (None, conversation):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    async def _record(self, request: web.Request, kind: str) -> web.Response:
        conversation = request.match_info.get("conversation", "")
        activity_id = request.match_info.get("activity", "")
        try:
            body = await request.json()
        except ValueError:
            body = {}
        answer: dict[str, Any]
        status, headers, answer = 200, {}, {"id": activity_id or f"activity-{next(self._ids)}"}
        fault = self._fault_for(conversation)
        if conversation in self.blocked:
            status, answer = (
                403,
                {
                    "error": {
                        "code": "ConversationBlockedByUser",
                        "message": "User blocked the conversation",
                    }
                },
            )
        elif fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status >= 300:
                status = fault.status
                answer = {"error": {"code": fault.code, "message": "injected"}}
                if fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
        self.calls.append(
            Call(
                kind,
                conversation,
                activity_id,
                body,
                status,
                request.headers.get("Authorization", ""),
            )
        )
        self._changed.set()
        return web.json_response(answer, status=status, headers=headers)

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record(request, "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record(request, "reply")

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record(request, "update")

    async def _create(self, request: web.Request) -> web.Response:
        return await self._record(request, "create")
