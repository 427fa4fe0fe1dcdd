"""Slack Web API failures in words an admin can act on, mapped onto bot/core/errors.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.core.errors import RateLimited, Unreachable

log = logging.getLogger("bot.channels.slack")

HINTS = {
    "channel_not_found": (
        "the channel does not exist or the bot cannot see it: check the binding's channel id, "
        "and invite the bot to private channels with /invite @microcred"
    ),
    "not_in_channel": "the bot is not a member: invite it with /invite @microcred in that channel",
    "is_archived": "the channel is archived: bind another channel",
    "account_inactive": (
        "the bot's token belongs to a deactivated app or user: reinstall the app and update "
        "SLACK_BOT_TOKEN"
    ),
    "token_revoked": "the bot token was revoked (app uninstalled?): reinstall the app",
    "invalid_auth": "the bot token is not valid: check SLACK_BOT_TOKEN or reinstall the app",
    "not_authed": "no bot token was sent: set SLACK_BOT_TOKEN or install the app via OAuth",
    "missing_scope": (
        "the app lacks a scope it needs: add it in manifest.yaml / the app settings, then "
        "reinstall the app"
    ),
    "cannot_dm_bot": "that user is a bot and cannot receive direct messages",
    "user_disabled": "that user is deactivated: remove them from cohorts",
    "user_not_found": "no such user in this workspace: check the identity",
    "user_not_visible": "the bot may not message that user (org policy): ask a workspace admin",
    "messages_tab_disabled": (
        "direct messages to the app are off: enable the Messages tab (App Home) and reinstall"
    ),
    "restricted_action": "a workspace policy stops the bot from posting there",
    "team_access_not_granted": "the app is not installed for that workspace",
    "ratelimited": "Slack rate-limited us even after honouring Retry-After: spread the sends",
}
UNREACHABLE = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
    "token_revoked",
    "invalid_auth",
    "not_authed",
    "cannot_dm_bot",
    "user_disabled",
    "user_not_found",
    "user_not_visible",
    "messages_tab_disabled",
    "restricted_action",
    "team_access_not_granted",
}


def error_code(exc: SlackApiError) -> str:
    response = exc.response
    data = response.data if response is not None else None
    return str(data.get("error", "")) if isinstance(data, dict) else f"http_{response.status_code}"


def hint(code: str) -> str:
    return HINTS.get(code, "see https://api.slack.com/methods for this error")


def describe(method: str, where: str, exc: Exception) -> str:
    """One log line: what failed, where, and what the admin can do."""
    if isinstance(exc, SlackApiError):
        code = error_code(exc)
        return f"Slack {method} failed for {where}: {code}: {hint(code)}"
    return f"Slack {method} failed for {where}: {type(exc).__name__}: {exc}"


def is_unreachable(exc: Exception) -> bool:
    return isinstance(exc, SlackApiError) and error_code(exc) in UNREACHABLE


def status(exc: Exception) -> int | None:
    response = exc.response if isinstance(exc, SlackApiError) else None
    return response.status_code if response is not None else None


def retry_after_header(headers: Mapping[str, Any] | None) -> float:
    """Seconds Slack's Retry-After asks for (a value or a list of them); 1 when absent."""
    raw: Any = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), "1")
    if isinstance(raw, list):
        raw = raw[0] if raw else "1"
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return 1.0


def retry_after(exc: SlackApiError) -> float:
    return retry_after_header(exc.response.headers if exc.response is not None else None)


def uncertain(exc: Exception) -> bool:
    """The call may have been carried out although it failed (a lost answer)."""
    code = status(exc)
    if code is not None:
        return code >= 500
    return isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | OSError)


def failure(method: str, where: str, exc: Exception) -> Exception:
    """The one mapping: Unreachable for good (with the admin hint), RateLimited when Slack
    still limits us after the retries, anything else logged and given back as it is."""
    line = describe(method, where, exc)
    if isinstance(exc, Unreachable | RateLimited):
        return exc
    if is_unreachable(exc):
        log.warning(line)
        return Unreachable(line)
    if isinstance(exc, SlackApiError) and (status(exc) == 429 or error_code(exc) == "ratelimited"):
        log.warning(line)
        return RateLimited(retry_after(exc), line)
    log.error(line)
    return exc
