"""Scheduled delivery to Slack: our key in every message's metadata, and `find_sent` by that key.

The outbox owns retries (it honours Retry-After, backs off, and looks a message up before
re-sending one whose send was never confirmed), so these clients retry nothing themselves:
a retried 5xx could post twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.app import SlackChannel
from bot.channels.slack.client import DEFAULT_TIMEOUT, SharedSession
from bot.channels.slack.errors import describe, error_code, is_unreachable
from bot.channels.slack.messenger import EVENT_TYPE, SlackMessenger
from bot.channels.slack.oauth import Tokens
from bot.channels.slack.people import People
from bot.channels.slack.render import render_message
from bot.core.errors import RateLimited, Unreachable
from bot.core.views import Message

log = logging.getLogger("bot.channels.slack")
HISTORY_PAGES = 5
"""At most this many pages of 100 messages are searched for a key (newest first)."""
SKEW_SECONDS = 300


def _identity(identity: str) -> tuple[str, str]:
    parts = identity.split(":")
    if len(parts) != 3 or parts[0] != "slack" or not all(parts):
        raise ValueError(f"'{identity}' is not a Slack identity")
    return parts[1], parts[2]


def carries(item: dict[str, Any], key: str) -> bool:
    """Whether a message from conversations.history carries our idempotency key."""
    metadata = item.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key


class SlackOutbound:
    """`Messenger` and `Reconciler` for the outbox, sharing the Slack channel's session."""

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

    @classmethod
    def of(cls, channel: SlackChannel) -> SlackOutbound:
        """Built on a mounted Slack channel's tokens, people cache and HTTP session."""
        messenger: SlackMessenger = channel.messenger
        return cls(
            messenger.api_url,
            messenger.tokens,
            channel.session,
            messenger.people,
            messenger.timeout,
        )

    async def _client(self, team: str) -> AsyncWebClient:
        token = await self.tokens.bot_token(team)
        if token not in self.clients:
            client = AsyncWebClient(
                token=token, base_url=self.api_url, timeout=int(self.timeout), retry_handlers=[]
            )
            self.clients[token] = self.session.attach(client)
        return self.clients[token]

    def _error(self, method: str, where: str, exc: SlackApiError) -> Exception:
        line = describe(method, where, exc)
        response = exc.response
        if response is not None and (
            response.status_code == 429 or error_code(exc) == "ratelimited"
        ):
            headers = response.headers or {}
            wait = headers.get("Retry-After") or headers.get("retry-after") or "1"
            return RateLimited(float(wait[0] if isinstance(wait, list) else wait), line)
        if is_unreachable(exc):
            log.warning(line)
            return Unreachable(line)
        return exc

    async def _dm(self, client: AsyncWebClient, identity: str) -> str:
        team, user = _identity(identity)
        try:
            return await self.people.dm(client, team, user)
        except SlackApiError as exc:
            raise self._error("conversations.open", identity, exc) from exc

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        team, _ = _identity(identity)
        client = await self._client(team)
        channel = await self._dm(client, identity)
        first = ""
        for n, payload in enumerate(render_message(message)):
            metadata = {"event_type": EVENT_TYPE, "event_payload": {"key": key, "part": n}}
            try:
                sent = await client.chat_postMessage(
                    channel=channel,
                    **payload,
                    metadata=metadata,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                raise self._error("chat.postMessage", identity, exc) from exc
            first = first or str(sent.get("ts", ""))
        return f"slack:{team}:{channel}:{first}"

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        raise Unreachable(
            f"{channel}: scheduled delivery posts only to people (use SlackMessenger)"
        )

    async def update(self, ref: str, message: Message) -> None:
        raise NotImplementedError("updates go through SlackMessenger")

    async def find_sent(
        self, identity: str, key: str, *, since: datetime | None = None
    ) -> str | None:
        """The ref of the message carrying `key` in the person's DM (conversations.history)."""
        team, _ = _identity(identity)
        client = await self._client(team)
        channel = await self._dm(client, identity)
        options: dict[str, Any] = {"limit": 100, "include_all_metadata": True}
        if since is not None:
            options["oldest"] = f"{since.timestamp() - SKEW_SECONDS:.6f}"
        cursor = ""
        for _ in range(HISTORY_PAGES):
            try:
                page = await client.conversations_history(
                    channel=channel, cursor=cursor or None, **options
                )
            except SlackApiError as exc:
                raise self._error("conversations.history", identity, exc) from exc
            for item in page.get("messages") or ():
                if carries(item, key):
                    return f"slack:{team}:{channel}:{item.get('ts', '')}"
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return None
        return None
