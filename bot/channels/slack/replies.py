"""Interactive replies through the messenger: update the clicked message, post to the DM,
notes only the person sees (response_url, ephemeral), and the "checking" note."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.channels.slack.client import retry_handlers
from bot.channels.slack.errors import failure
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.render import Payload, context_block, render_message, section_blocks
from bot.channels.slack.translate import Origin
from bot.core.views import Message, Reply, Text

log = logging.getLogger("bot.channels.slack")
T = TypeVar("T")
CHECKING = "⏳ Checking your answer… this usually takes a few seconds."
POINTER = "I answered in our direct messages (App Home → Messages)."


def note_message(markdown: str) -> Message:
    return Message((Text(markdown),), markdown)


def _sub(key: str, part: str) -> str:
    return f"{key}:{part}" if key else ""


class Replies:
    """Sends what the engine answered to where the person acted (never raises: the
    messenger has logged each failure with its admin hint)."""

    def __init__(self, messenger: SlackMessenger) -> None:
        self.messenger = messenger

    async def _quietly(self, call: Awaitable[T]) -> T | None:
        try:
            return await call
        except Exception as exc:  # logged where it was mapped; one failed call never crashes
            log.debug("Slack reply step failed: %s", exc)
            return None

    async def _client(self, origin: Origin, token: str) -> AsyncWebClient | None:
        try:
            return await self.messenger.client(origin.team_id, token)
        except Exception as exc:  # e.g. an OAuth workspace that uninstalled the app
            log.warning("cannot answer in Slack workspace %s: %s", origin.team_id, exc)
            return None

    async def respond(self, url: str, body: dict[str, Any]) -> None:
        """Answer through an interaction's response_url (5xx retried: it is not a post)."""
        session = self.messenger.session.session
        hook = AsyncWebhookClient(
            url,
            session=session,
            timeout=int(self.messenger.timeout),
            retry_handlers=retry_handlers(),
        )
        try:
            sent = await hook.send_dict(body)
        except Exception as exc:
            raise failure("response_url", "the clicked message", exc) from exc
        if sent.status_code != 200:
            log.error("Slack response_url answered %s: %s", sent.status_code, sent.body)

    async def _post(
        self,
        client: AsyncWebClient,
        channel: str,
        parts: list[Payload],
        key: str,
        first_part: int = 0,
    ) -> None:
        if channel and parts:
            post = self.messenger.post(
                client, channel, parts, key=key, where=channel, first_part=first_part, patient=True
            )
            await self._quietly(post)

    async def _dm(self, client: AsyncWebClient, origin: Origin) -> str:
        if origin.in_dm:
            return origin.channel_id
        opened = await self._quietly(self.messenger.dm(client, origin.team_id, origin.user_id))
        return opened or ""

    async def _replace(
        self, client: AsyncWebClient, origin: Origin, message: Message, dm: str, key: str
    ) -> None:
        """The clicked message shows the first part; further parts follow it."""
        parts, start, where = render_message(message), 1, dm
        if origin.ephemeral and origin.response_url:
            body = {**parts[0], "replace_original": True}
            await self._quietly(self.respond(origin.response_url, body))
        elif origin.channel_id and origin.message_ts:
            edit = self.messenger.edit(client, origin.channel_id, origin.message_ts, parts[0])
            await self._quietly(edit)
            where = origin.channel_id
        else:
            start = 0
        await self._post(client, where, parts[start:], key, start)

    async def _private(
        self, client: AsyncWebClient, origin: Origin, note: str, dm: str, key: str
    ) -> None:
        """Only the person sees it: a DM message in the DM, else an ephemeral message."""
        payload = render_message(note_message(note))[0]
        if origin.in_dm or not origin.channel_id or origin.channel_id == dm:
            await self._post(client, dm, [payload], key)
        elif origin.response_url:
            body = {**payload, "response_type": "ephemeral", "replace_original": False}
            await self._quietly(self.respond(origin.response_url, body))
        else:
            note_only = self.messenger.ephemeral(client, origin.channel_id, origin.user_id, payload)
            await self._quietly(note_only)

    async def apply(self, reply: Reply, origin: Origin, *, key: str, token: str = "") -> None:
        """replace_source → chat.update; messages → the DM, in order; private → only them.

        `key` (the interaction's id) keys every post, so a lost answer never posts twice;
        `token` is the bot token the request was authorized with."""
        client = await self._client(origin, token)
        if client is None:
            return
        dm = await self._dm(client, origin)
        if reply.replace_source is not None:
            await self._replace(client, origin, reply.replace_source, dm, _sub(key, "source"))
        for n, message in enumerate(reply.messages):
            await self._post(client, dm, render_message(message), _sub(key, f"m{n}"))
        for n, note in enumerate(reply.private):
            await self._private(client, origin, note, dm, _sub(key, f"p{n}"))
        elsewhere = origin.surface == "command" and origin.channel_id not in ("", dm)
        if elsewhere and reply.messages:
            await self._private(client, origin, POINTER, dm, _sub(key, "pointer"))

    async def checking(self, origin: Origin, token: str = "") -> None:
        """Slow work ahead: show it on the clicked message, buttons removed."""
        if not origin.channel_id or not origin.message_ts or origin.ephemeral:
            return
        client = await self._client(origin, token)
        if client is None:
            return
        kept = [b for b in origin.source_blocks if b.get("type") not in ("actions", "input")]
        blocks = [*(kept or section_blocks("Your answer is in.")), context_block(CHECKING)]
        payload = {"text": CHECKING, "blocks": blocks[-50:]}
        await self._quietly(
            self.messenger.edit(client, origin.channel_id, origin.message_ts, payload)
        )
