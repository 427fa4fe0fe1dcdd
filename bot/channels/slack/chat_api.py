"""Every Slack chat.* call: the keyed, idempotent post (our key in message metadata, looked
up before any re-send), updates and ephemerals. Only SlackMessenger calls these.

Every part `n` of a message keyed `K` carries `{"key": K, "part": n}`. A message that
carries only `{"key": K}` (posted before parts were numbered) counts as part 0.

While a lost post is being looked up and re-posted, the workspace is held (client.py's
RateLimitRetry.retrying): keyed sends starting meanwhile wait for a short hold, and the
outbox's are handed back as RateLimited (messenger.py), so a caller that paces the
workspace never collides with our retry.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.client import BACKOFF, HOLD_MARGIN, SERVER_RETRIES, throttle_of
from bot.channels.slack.errors import describe, uncertain
from bot.channels.slack.render import Payload

log = logging.getLogger("bot.channels.slack")
EVENT_TYPE = "microcred_delivery"
"""Message metadata event type carrying our idempotency key."""
HISTORY_PAGES = 5
"""At most this many pages of 100 messages are searched for a key (newest first)."""
SKEW_SECONDS = 300
"""Clock skew allowed between our `since` and Slack's timestamps."""
QUIET: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}


def metadata(key: str, part: int) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key, "part": part}}


def part_of(item: dict[str, Any], key: str) -> int | None:
    """Which part of the message keyed `key` this Slack message is; None for any other."""
    meta = item.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    if meta.get("event_type") != EVENT_TYPE or payload.get("key") != key:
        return None
    part = payload.get("part", 0)
    return part if isinstance(part, int) else None


async def find(
    client: AsyncWebClient,
    channel: str,
    key: str,
    part: int = 0,
    *,
    oldest: float | None = None,
    thread: str = "",
) -> str:
    """The ts of part `part` of the message keyed `key` in `channel` (in the thread of
    `thread`, when given), posted after `oldest` (epoch seconds); '' when there is none.
    Raises the Web API error when Slack cannot tell."""
    options: dict[str, Any] = {"channel": channel, "limit": 100, "include_all_metadata": True}
    if oldest is not None:
        options["oldest"] = f"{oldest - SKEW_SECONDS:.6f}"
    cursor = ""
    for _ in range(HISTORY_PAGES):
        if thread:
            page = await client.conversations_replies(ts=thread, cursor=cursor or None, **options)
        else:
            page = await client.conversations_history(cursor=cursor or None, **options)
        for item in page.get("messages") or ():
            if part_of(item, key) == part:
                return str(item.get("ts", ""))
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            break
    return ""


async def post(
    client: AsyncWebClient,
    channel: str,
    payload: Payload,
    *,
    key: str,
    part: int,
    since: float,
    thread: str = "",
) -> str:
    """Post one part; its ts. A keyed part whose answer was lost (5xx, reset, timeout) is
    looked up by key and re-posted only when Slack has not got it (SERVER_RETRIES times);
    an unkeyed one is never re-posted."""
    extra: dict[str, Any] = dict(QUIET)
    if thread:
        extra |= {"thread_ts": thread, "reply_broadcast": False}
    if key:
        extra["metadata"] = metadata(key, part)
    retry, throttle = object(), throttle_of(client)
    try:
        return await _post_until_found(
            client, channel, payload, extra, key, part, since, thread, retry
        )
    except Exception as exc:
        if key and uncertain(exc):  # given up on a lost post: rest before the next try
            throttle.hold(HOLD_MARGIN)
        raise
    finally:
        throttle.retried(retry)


async def _post_until_found(
    client: AsyncWebClient,
    channel: str,
    payload: Payload,
    extra: dict[str, Any],
    key: str,
    part: int,
    since: float,
    thread: str,
    retry: object,
) -> str:
    throttle = throttle_of(client)
    for attempt in range(SERVER_RETRIES + 1):
        try:
            sent = await client.chat_postMessage(channel=channel, **payload, **extra)
            return str(sent.get("ts", ""))
        except Exception as exc:
            if not key or attempt == SERVER_RETRIES or not uncertain(exc):
                raise
            log.info(
                "%s; looking for %s before posting again",
                describe("chat.postMessage", channel, exc),
                key,
            )
            pause = max(HOLD_MARGIN, BACKOFF.calculate_sleep_duration(attempt))
            throttle.retrying(retry, pause + HOLD_MARGIN)  # others wait until it is through
            await asyncio.sleep(pause)
            try:
                found = await find(client, channel, key, part, oldest=since, thread=thread)
            except Exception as lookup:
                log.warning(describe("conversations.history", channel, lookup))
                raise exc from lookup
            if found:
                return found
            await asyncio.sleep(throttle.waiting())  # a 429 meanwhile: its Retry-After
            throttle.retrying(retry, HOLD_MARGIN)
    raise AssertionError("unreachable")  # the loop returns or raises


async def update(client: AsyncWebClient, channel: str, ts: str, payload: Payload) -> None:
    """chat.update one message with a rendered payload."""
    await client.chat_update(channel=channel, ts=ts, **payload)


async def ephemeral(client: AsyncWebClient, channel: str, user: str, payload: Payload) -> None:
    """chat.postEphemeral: a note only `user` sees in `channel`."""
    await client.chat_postEphemeral(channel=channel, user=user, **payload)
