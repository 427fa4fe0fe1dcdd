"""SlackMessenger: DMs, channel posts and updates with no inbound request (the Messenger port)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.client import DEFAULT_TIMEOUT, SharedSession, web_client
from bot.channels.slack.errors import describe, error_code, hint, is_unreachable
from bot.channels.slack.oauth import Tokens
from bot.channels.slack.people import People
from bot.channels.slack.render import render_message
from bot.core.errors import Unreachable
from bot.core.views import Message

log = logging.getLogger("bot.channels.slack")
EVENT_TYPE = "microcred_delivery"
"""Message metadata event type carrying our idempotency key."""
HISTORY_LOOKBACK = 20


def _parts(value: str, count: int, what: str) -> list[str]:
    parts = value.split(":")
    if len(parts) != count or parts[0] != "slack" or not all(parts):
        raise ValueError(f"'{value}' is not a Slack {what}")
    return parts[1:]


class SlackMessenger:
    """Identities `slack:TEAM:USER`, channels `slack:TEAM:CHANNEL`, refs `slack:TEAM:CHANNEL:TS`."""

    platform = "slack"

    def __init__(
        self,
        api_url: str,
        tokens: Tokens,
        session: SharedSession,
        people: People,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.api_url, self.tokens, self.session = api_url, tokens, session
        self.people, self.timeout = people, timeout
        self.clients: dict[str, AsyncWebClient] = {}

    async def _client(self, team: str) -> AsyncWebClient:
        token = await self.tokens.bot_token(team)
        if token not in self.clients:
            client = web_client(self.api_url, token, self.timeout)
            self.clients[token] = self.session.attach(client)
        return self.clients[token]

    def _fail(self, method: str, where: str, exc: Exception) -> Exception:
        """Unreachable (with the admin hint) for good; anything else is logged and re-raised."""
        line = describe(method, where, exc)
        if is_unreachable(exc):
            log.warning(line)
            return Unreachable(line)
        log.error(line)
        return exc

    async def _already_sent(self, client: AsyncWebClient, channel: str, key: str) -> str:
        """The ts of a recent message carrying `key` (a retried send), or ''."""
        try:
            found = await client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except SlackApiError as exc:
            log.info(
                "idempotency check skipped: %s", describe("conversations.history", channel, exc)
            )
            return ""
        for item in found.get("messages") or ():
            metadata = item.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
                return str(item.get("ts", ""))
        return ""

    async def _post(
        self, client: AsyncWebClient, channel: str, message: Message, key: str, thread: str = ""
    ) -> str:
        first = ""
        for n, payload in enumerate(render_message(message)):
            extra: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
            if thread:
                extra |= {"thread_ts": thread, "reply_broadcast": False}
            if n == 0 and key:
                extra["metadata"] = {"event_type": EVENT_TYPE, "event_payload": {"key": key}}
            sent = await client.chat_postMessage(channel=channel, **payload, **extra)
            first = first or str(sent.get("ts", ""))
        return first

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        team, user = _parts(identity, 3, "identity")
        client = await self._client(team)
        try:
            channel = await self.people.dm(client, team, user)
        except Exception as exc:
            raise self._fail("conversations.open", identity, exc) from exc
        try:
            ts = await self._already_sent(client, channel, key) if key else ""
            ts = ts or await self._post(client, channel, message, key)
        except Exception as exc:
            raise self._fail("chat.postMessage", identity, exc) from exc
        return f"slack:{team}:{channel}:{ts}"

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        team, channel_id = _parts(channel, 3, "channel")
        client = await self._client(team)
        try:
            ts = await self._post(client, channel_id, message, key)
        except SlackApiError as exc:
            if error_code(exc) != "not_in_channel":
                raise self._fail("chat.postMessage", channel, exc) from exc
            ts = await self._join_and_post(client, channel, channel_id, message, key)
        except Exception as exc:
            raise self._fail("chat.postMessage", channel, exc) from exc
        return f"slack:{team}:{channel_id}:{ts}"

    async def _join_and_post(
        self, client: AsyncWebClient, channel: str, channel_id: str, message: Message, key: str
    ) -> str:
        """Join a public channel we are bound to; a private one needs an invitation."""
        try:
            await client.conversations_join(channel=channel_id)
            log.info("joined Slack channel %s to post there", channel)
        except SlackApiError as exc:
            line = (
                f"cannot post in Slack channel {channel}: the bot is not a member and cannot "
                f"join it ({error_code(exc)}). {hint('not_in_channel')}"
            )
            log.warning(line)
            raise Unreachable(line) from exc
        try:
            return await self._post(client, channel_id, message, key)
        except Exception as exc:
            raise self._fail("chat.postMessage", channel, exc) from exc

    async def update(self, ref: str, message: Message) -> None:
        team, channel, ts = _parts(ref, 4, "message reference")
        client = await self._client(team)
        first = render_message(message)[0]
        try:
            await client.chat_update(channel=channel, ts=ts, **first)
        except Exception as exc:
            raise self._fail("chat.update", ref, exc) from exc

    async def reply_in_thread(self, ref: str, message: Message, *, key: str) -> str:
        """Reply in the thread of a message we posted (`reply_broadcast` off)."""
        team, channel, ts = _parts(ref, 4, "message reference")
        client = await self._client(team)
        try:
            sent = await self._post(client, channel, message, key, thread=ts)
        except Exception as exc:
            raise self._fail("chat.postMessage", ref, exc) from exc
        return f"slack:{team}:{channel}:{sent}"
