"""SlackMessenger: the one way out to Slack (the Messenger port, threads, find_sent, replies)."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import addresses, chat_api
from bot.channels.slack.client import DEFAULT_TIMEOUT, SharedSession, throttle_of, web_client
from bot.channels.slack.errors import error_code, failure, hint, uncertain
from bot.channels.slack.oauth import Tokens
from bot.channels.slack.people import People, TtlCache
from bot.channels.slack.render import Payload, render_message
from bot.channels.slack.rendered import RenderedTemplates
from bot.core.errors import RateLimited, Unreachable
from bot.core.ports import SendObserver, Unobserved
from bot.core.views import Message

log = logging.getLogger("bot.channels.slack")
EVENT_TYPE = chat_api.EVENT_TYPE
PATIENCE = 3.0
"""Seconds a keyed send waits for a hold to end (a lost post's retry); longer: RateLimited."""


class SlackMessenger:
    """`Messenger`, `ThreadReplies` and `Reconciler` for Slack, and the primitives the
    interactive replies use (bot/channels/slack/replies.py). Addresses: addresses.py.

    A keyed post that Slack answered 429 waits out Retry-After. A keyed send that starts
    while the workspace is held waits for a short hold (PATIENCE) and raises `RateLimited`
    for a longer one; the outbox's view (`for_outbox`) raises at once, and the outbox then
    paces the whole workspace; interactive replies (`patient`) always wait.
    """

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
        self.unsure: TtlCache[bool] = TtlCache(24 * 3600)
        """Keys whose last send failed after it may have been posted: looked up first."""
        self.patience = PATIENCE
        self.rendered = RenderedTemplates()
        """Shared messages (a scheduled lesson) rendered once per template."""
        self.observer: SendObserver = Unobserved()

    def observe(self, observer: SendObserver) -> None:
        """Count the 429s of every client of this messenger (and of its outbox view)."""
        self.observer = observer
        for client in self.clients.values():
            throttle_of(client).observer = observer

    def for_outbox(self) -> SlackMessenger:
        """The same path (clients, keys, holds shared) for the outbox: a keyed send during any
        hold is handed back at once as `RateLimited`, and the outbox paces the workspace."""
        outbox = copy.copy(self)
        outbox.patience = 0.0
        return outbox

    # -- primitives -----------------------------------------------------------------------

    async def client(self, team: str, token: str = "") -> AsyncWebClient:
        """The one client of a workspace's bot token (`token` when a request carries it)."""
        token = token or await self.tokens.bot_token(team)
        if token not in self.clients:
            client = web_client(self.api_url, token, self.timeout)
            throttle_of(client).observer = self.observer
            self.clients[token] = self.session.attach(client)
        return self.clients[token]

    async def dm(self, client: AsyncWebClient, team: str, user: str) -> str:
        """The bot's DM channel with `user`."""
        try:
            return await self.people.dm(client, team, user)
        except Exception as exc:
            raise failure("conversations.open", f"slack:{team}:{user}", exc) from exc

    async def _post(
        self,
        client: AsyncWebClient,
        channel: str,
        payloads: Sequence[Payload],
        key: str,
        *,
        thread: str = "",
        first_part: int = 0,
        patient: bool = False,
    ) -> str:
        """Post the parts in order; the first one's ts. Raises Web API errors as they are."""
        throttle = throttle_of(client)
        held = throttle.holding()
        if held > self.patience and key and not patient:
            raise RateLimited(held, f"Slack holds this workspace back for {held:.1f}s more")
        if wait := (held if key else throttle.waiting()):
            await asyncio.sleep(wait)
        if key and self.unsure.get(key):
            found = await chat_api.find(client, channel, key, first_part, thread=thread)
            if found:
                self.unsure.put(key, False)
                return found
        since, first = time.time(), ""
        for n, payload in enumerate(payloads, start=first_part):
            ts = await chat_api.post(
                client, channel, payload, key=key, part=n, since=since, thread=thread
            )
            first = first or ts
        if key:
            self.unsure.put(key, False)
        return first

    async def post(
        self,
        client: AsyncWebClient,
        channel: str,
        payloads: Sequence[Payload],
        *,
        key: str,
        where: str,
        thread: str = "",
        first_part: int = 0,
        patient: bool = False,
    ) -> str:
        """Post rendered parts (keyed: idempotent); the first one's ts. Errors are mapped."""
        try:
            return await self._post(
                client,
                channel,
                payloads,
                key,
                thread=thread,
                first_part=first_part,
                patient=patient,
            )
        except Exception as exc:
            raise self._failed(key, where, exc) from exc

    def _failed(self, key: str, where: str, exc: Exception) -> Exception:
        if key and uncertain(exc):
            self.unsure.put(key, True)
        return failure("chat.postMessage", where, exc)

    async def edit(self, client: AsyncWebClient, channel: str, ts: str, payload: Payload) -> None:
        """chat.update one message with a rendered payload."""
        try:
            await chat_api.update(client, channel, ts, payload)
        except Exception as exc:
            raise failure("chat.update", f"{channel}:{ts}", exc) from exc

    async def ephemeral(
        self, client: AsyncWebClient, channel: str, user: str, payload: Payload
    ) -> None:
        """A note only `user` sees in `channel`."""
        try:
            await chat_api.ephemeral(client, channel, user, payload)
        except Exception as exc:
            raise failure("chat.postEphemeral", channel, exc) from exc

    # -- the Messenger port ---------------------------------------------------------------

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        team, user = addresses.identity(identity)
        client = await self.client(team)
        channel = await self.dm(client, team, user)
        parts = self.rendered.render(message)
        ts = await self.post(client, channel, parts, key=key, where=identity)
        return addresses.ref(team, channel, ts)

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        team, channel_id = addresses.channel(channel)
        client = await self.client(team)
        parts = render_message(message)
        try:
            ts = await self._post(client, channel_id, parts, key)
        except SlackApiError as exc:
            if error_code(exc) != "not_in_channel":
                raise self._failed(key, channel, exc) from exc
            await self._join(client, channel, channel_id)
            ts = await self.post(client, channel_id, parts, key=key, where=channel)
        except Exception as exc:
            raise self._failed(key, channel, exc) from exc
        return addresses.ref(team, channel_id, ts)

    async def _join(self, client: AsyncWebClient, channel: str, channel_id: str) -> None:
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

    async def reply_in_thread(self, ref: str, message: Message, *, key: str) -> str:
        """Reply in the thread of a message we posted (`reply_broadcast` off)."""
        team, channel, ts = addresses.message(ref)
        client = await self.client(team)
        parts = render_message(message)
        sent = await self.post(client, channel, parts, key=key, where=ref, thread=ts)
        return addresses.ref(team, channel, sent)

    async def update(self, ref: str, message: Message) -> None:
        """Replace a message we sent (its first part: the rest stay as they are)."""
        team, channel, ts = addresses.message(ref)
        client = await self.client(team)
        await self.edit(client, channel, ts, render_message(message)[0])

    # -- the Reconciler -------------------------------------------------------------------

    async def find_sent(
        self, identity: str, key: str, *, since: datetime | None = None
    ) -> str | None:
        """The ref of the message keyed `key` in the person's DM (sent after `since`)."""
        team, user = addresses.identity(identity)
        client = await self.client(team)
        channel = await self.dm(client, team, user)
        oldest = since.timestamp() if since is not None else None
        try:
            ts = await chat_api.find(client, channel, key, oldest=oldest)
        except Exception as exc:
            raise failure("conversations.history", identity, exc) from exc
        return addresses.ref(team, channel, ts) if ts else None
