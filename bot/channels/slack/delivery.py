"""Apply a neutral Reply in Slack: update the clicked message, post to the DM, notes privately."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.channels.slack.errors import describe, is_unreachable
from bot.channels.slack.people import People
from bot.channels.slack.render import Payload, context_block, render_message, section_blocks
from bot.channels.slack.translate import Origin
from bot.core.views import Message, Reply, Text

log = logging.getLogger("bot.channels.slack")
T = TypeVar("T")
CHECKING = "⏳ Checking your answer… this usually takes a few seconds."
POINTER = "I answered in our direct messages (App Home → Messages)."
QUIET: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}


def note_message(markdown: str) -> Message:
    return Message((Text(markdown),), markdown)


class Delivery:
    """Sends what the engine answered to where the person acted (never raises)."""

    def __init__(self, people: People) -> None:
        self.people = people

    async def _call(self, method: str, where: str, call: Awaitable[T]) -> T | None:
        try:
            return await call
        except Exception as exc:  # logged with an admin hint; one failed call never crashes
            level = logging.WARNING if is_unreachable(exc) else logging.ERROR
            log.log(level, describe(method, where, exc))
            return None

    async def dm_channel(self, client: AsyncWebClient, origin: Origin) -> str:
        if origin.in_dm:
            return origin.channel_id
        where = f"{origin.team_id}:{origin.user_id}"
        opened = await self._call(
            "conversations.open", where, self.people.dm(client, origin.team_id, origin.user_id)
        )
        return opened or ""

    async def post(self, client: AsyncWebClient, channel: str, payload: Payload) -> str:
        """Post one rendered message; its ts, or '' when it failed."""
        if not channel:
            return ""
        sent = await self._call(
            "chat.postMessage",
            channel,
            client.chat_postMessage(channel=channel, **payload, **QUIET),
        )
        return str(sent.get("ts", "")) if sent is not None else ""

    async def respond(self, client: AsyncWebClient, url: str, body: dict[str, Any]) -> None:
        hook = AsyncWebhookClient(url, session=client.session, timeout=int(client.timeout))
        await self._call("response_url", "the clicked message", hook.send_dict(body))

    async def replace(
        self, client: AsyncWebClient, origin: Origin, message: Message, dm: str
    ) -> None:
        first, *rest = render_message(message)
        if origin.ephemeral and origin.response_url:
            await self.respond(client, origin.response_url, {**first, "replace_original": True})
        elif origin.channel_id and origin.message_ts:
            update = client.chat_update(channel=origin.channel_id, ts=origin.message_ts, **first)
            await self._call("chat.update", origin.channel_id, update)
        else:
            await self.post(client, dm, first)
        for payload in rest:
            await self.post(client, origin.channel_id or dm, payload)

    async def private(self, client: AsyncWebClient, origin: Origin, note: str, dm: str) -> None:
        """Only the person sees it: a DM message in the DM, else an ephemeral message."""
        payload = render_message(note_message(note))[0]
        if origin.in_dm or not origin.channel_id or origin.channel_id == dm:
            await self.post(client, dm, payload)
        elif origin.response_url:
            body = {**payload, "response_type": "ephemeral", "replace_original": False}
            await self.respond(client, origin.response_url, body)
        else:
            call = client.chat_postEphemeral(
                channel=origin.channel_id, user=origin.user_id, **payload
            )
            await self._call("chat.postEphemeral", origin.channel_id, call)

    async def apply(self, client: AsyncWebClient, reply: Reply, origin: Origin) -> None:
        """replace_source → chat.update; messages → the DM, in order; private → only them."""
        dm = await self.dm_channel(client, origin)
        if reply.replace_source is not None:
            await self.replace(client, origin, reply.replace_source, dm)
        for message in reply.messages:
            for payload in render_message(message):
                await self.post(client, dm, payload)
        for note in reply.private:
            await self.private(client, origin, note, dm)
        elsewhere = origin.surface == "command" and origin.channel_id not in ("", dm)
        if elsewhere and reply.messages:
            await self.private(client, origin, POINTER, dm)

    async def checking(self, client: AsyncWebClient, origin: Origin) -> None:
        """Slow work ahead: show it on the clicked message, buttons removed."""
        if not origin.channel_id or not origin.message_ts or origin.ephemeral:
            return
        kept = [b for b in origin.source_blocks if b.get("type") not in ("actions", "input")]
        blocks = [*(kept or section_blocks("Your answer is in.")), context_block(CHECKING)]
        call = client.chat_update(
            channel=origin.channel_id, ts=origin.message_ts, text=CHECKING, blocks=blocks[-50:]
        )
        await self._call("chat.update", origin.channel_id, call)
