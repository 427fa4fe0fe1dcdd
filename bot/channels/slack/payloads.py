"""Checked reads of Slack payloads: typed fields and platform ids, or BadPayload."""

from __future__ import annotations

import re
from typing import Any

Body = dict[str, Any]

USER_ID = re.compile(r"[UWB][A-Z0-9]+")
TEAM_ID = re.compile(r"[TE][A-Z0-9]+")
MAX_ID = 64


class BadPayload(ValueError):
    """A Slack payload that is malformed or wrongly typed: refused, never processed."""


def obj(body: Body, key: str) -> Body:
    """`body[key]` as an object ({} when absent)."""
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadPayload(f"'{key}' is a {type(value).__name__}, not an object")
    return value


def objs(body: Body, key: str) -> list[Body]:
    """`body[key]` as a list of objects ([] when absent)."""
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadPayload(f"'{key}' is not a list of objects")
    return value


def text(body: Body, key: str) -> str:
    """`body[key]` as a string ('' when absent)."""
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadPayload(f"'{key}' is a {type(value).__name__}, not a string")
    return value


def _platform_id(value: object, pattern: re.Pattern[str], what: str) -> str:
    if isinstance(value, str) and len(value) <= MAX_ID and pattern.fullmatch(value):
        return value
    shown = repr(value)[:40] if isinstance(value, str) else type(value).__name__
    raise BadPayload(f"{what} {shown} is not a Slack {what} id")


def user_id(value: object) -> str:
    """A Slack user id (`U…`, `W…`, `B…`), or BadPayload."""
    return _platform_id(value, USER_ID, "user")


def team_id(value: object) -> str:
    """A Slack workspace or org id (`T…`, `E…`), or BadPayload."""
    return _platform_id(value, TEAM_ID, "team")
