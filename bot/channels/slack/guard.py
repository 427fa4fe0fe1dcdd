"""What Bolt never sees: unsigned or stale requests, malformed payloads, other workspaces."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.request.internals import parse_body
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.channels.slack import translate
from bot.channels.slack.payloads import BadPayload, Body, obj, objs

log = logging.getLogger("bot.channels.slack")

OBJECTS = (
    "container",
    "enterprise",
    "event",
    "view",
    "message",
    "previous_message",
    "item",
    "assistant_thread",
    "function_data",
    "state",
)
"""Keys Bolt or our listeners read as objects when present."""
OBJECT_OR_ID = ("team", "user", "channel")
"""Keys that are an id in events and an object in interactive payloads."""
LISTS = ("actions", "authorizations")
STRINGS = ("type", "team_id", "user_id", "enterprise_id", "response_url", "trigger_id")


def signed(verifier: SignatureVerifier, raw: bytes, headers: Mapping[str, str]) -> bool:
    """Slack's HMAC over the raw body, with a timestamp at most five minutes old."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and signature):
        return False
    return verifier.is_valid(raw, timestamp, signature)


def parse(raw: bytes, content_type: str | None) -> Body:
    """The body as Bolt will parse it; BadPayload when it is not an object."""
    try:
        body = parse_body(raw.decode("utf-8"), content_type)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadPayload(f"the body does not parse: {type(exc).__name__}") from exc
    if not isinstance(body, dict):
        raise BadPayload(f"the body is a {type(body).__name__}, not an object")
    return body


def _shape(body: Body) -> None:
    for key in OBJECTS:
        obj(body, key)
    for key in LISTS:
        objs(body, key)
    for key in OBJECT_OR_ID:
        if not isinstance(body.get(key), str | dict | None):
            raise BadPayload(f"'{key}' is a {type(body[key]).__name__}")
    for key in STRINGS:
        if not isinstance(body.get(key), str | None):
            raise BadPayload(f"'{key}' is a {type(body[key]).__name__}, not a string")


def check(body: Body) -> None:
    """BadPayload unless Bolt and our listeners can read `body` as what it says it is."""
    _shape(body)
    for key in ("event", "message", "view"):
        _shape(obj(body, key))
    kind = body.get("type")
    if "command" in body:
        translate.from_command(body)
    elif kind == "event_callback":
        event = obj(body, "event")
        if event.get("type") == "message":
            translate.from_message(event, body)
        elif event.get("type") == "app_home_opened":
            translate.from_home_opened(event, body)
        else:
            translate.team_of(body)
    elif kind == "block_actions":
        translate.from_action(body)
    elif kind == "view_submission":
        translate.from_submission(body)
    elif kind not in ("url_verification", "ssl_check"):
        translate.team_of(body)


def refused_status(body: Body | None) -> int:
    """Events are acked (Slack retries anything else); other refusals are bad requests."""
    return 200 if body is not None and body.get("type") == "event_callback" else 400


Next = Callable[[], Awaitable[BoltResponse]]


def workspace_guard(
    *, single_team: bool
) -> Callable[[AsyncBoltContext, Body, Next], Awaitable[BoltResponse | None]]:
    """Bolt middleware: payloads are checked (Socket Mode too), and a single-token app only
    serves the workspace its token belongs to (auth.test's team, cached by Bolt)."""

    async def guard(context: AsyncBoltContext, body: Body, next: Next) -> BoltResponse | None:
        try:
            check(body)
            plain = body.get("type") in ("url_verification", "ssl_check")
            team = "" if plain else translate.team_of(body)
        except BadPayload as exc:
            log.warning("refused a Slack request: %s", exc)
            return BoltResponse(status=refused_status(body), body="")
        authorized = context.authorize_result
        own = (authorized.team_id, authorized.enterprise_id) if authorized else ()
        if single_team and team and own and team not in own:
            log.warning(
                "refused a Slack request from workspace %s: the token is for %s", team, own[0]
            )
            return BoltResponse(
                status=200 if body.get("type") == "event_callback" else 403, body=""
            )
        return await next()

    return guard
