"""Slack addresses: identities `slack:TEAM:USER`, channels `slack:TEAM:CHANNEL`, message
references `slack:TEAM:CHANNEL:TS` (what send_direct/post_channel return)."""

from __future__ import annotations


def _parts(value: str, count: int, what: str) -> list[str]:
    parts = value.split(":")
    if len(parts) != count or parts[0] != "slack" or not all(parts):
        raise ValueError(f"'{value}' is not a Slack {what}")
    return parts[1:]


def identity(value: str) -> tuple[str, str]:
    """`slack:TEAM:USER` → (team, user)."""
    team, user = _parts(value, 3, "identity")
    return team, user


def channel(value: str) -> tuple[str, str]:
    """`slack:TEAM:CHANNEL` → (team, channel)."""
    team, channel_id = _parts(value, 3, "channel")
    return team, channel_id


def message(ref: str) -> tuple[str, str, str]:
    """`slack:TEAM:CHANNEL:TS` → (team, channel, ts)."""
    team, channel_id, ts = _parts(ref, 4, "message reference")
    return team, channel_id, ts


def ref(team: str, channel_id: str, ts: str) -> str:
    return f"slack:{team}:{channel_id}:{ts}"
