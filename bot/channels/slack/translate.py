"""Slack payloads to neutral inbound events, plus where the answer should go.

Every function here either translates or raises BadPayload (wrong types, ids that are not
Slack ids); nothing else escapes, so a malformed payload is refused, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.slack.actions import decode_action
from bot.channels.slack.modals import ModalSource, state_values
from bot.channels.slack.payloads import BadPayload, Body, obj, objs, team_id, text, user_id
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.learning.actions import HOME

__all__ = ["BadPayload", "Body", "Incoming", "Origin"]


@dataclass(frozen=True)
class Origin:
    """Where an inbound event happened, so the reply goes back to the right place."""

    team_id: str
    user_id: str
    channel_id: str = ""
    """Where the person acted ('' for the Home tab)."""
    message_ts: str = ""
    """The message that carried the click (to update in place)."""
    in_dm: bool = False
    """`channel_id` is the bot's own DM with this person."""
    ephemeral: bool = False
    """The clicked message was ephemeral (update it through `response_url`)."""
    response_url: str = ""
    source_blocks: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    """The clicked message's blocks (the prompt shown again in a modal)."""
    surface: str = "message"
    """`message`, `command`, `home` or `modal`."""


@dataclass(frozen=True)
class Incoming:
    inbound: Inbound
    origin: Origin


def team_of(body: Body) -> str:
    """The workspace (team) id of any payload; the enterprise id for org-wide installs."""
    team = body.get("team")
    candidates = (
        body.get("team_id"),
        team.get("id") if isinstance(team, dict) else team,
        obj(body, "user").get("team_id") if isinstance(body.get("user"), dict) else None,
        obj(body, "enterprise").get("id"),
        body.get("enterprise_id"),
    )
    found = next((c for c in candidates if c), None)
    if found is None:
        raise BadPayload("no team id")
    return team_id(found)


def actor(team: str, user: str) -> Actor:
    """The person as Slack names them: identity `slack:TEAM:USER` (both ids checked)."""
    return Actor(f"slack:{team_id(team)}", user_id(user))


def shared_channel(team: str, channel_id: str) -> str:
    """`slack:TEAM:CHANNEL` for a public or private channel; '' for a DM or no channel."""
    return f"slack:{team}:{channel_id}" if channel_id[:1] in ("C", "G") else ""


def from_command(body: Body) -> Incoming:
    """`/learn next` → the text command `next` (an empty `/learn` asks for help)."""
    command = text(body, "text").strip() or "help"
    team, user = team_of(body), user_id(body.get("user_id"))
    channel_id = text(body, "channel_id")
    inbound = Inbound(
        actor(team, user),
        TextInput(command),
        f"cmd:{text(body, 'trigger_id')}",
        shared_channel(team, channel_id),
    )
    origin = Origin(
        team,
        user,
        channel_id=channel_id,
        response_url=text(body, "response_url"),
        surface="command",
    )
    return Incoming(inbound, origin)


def shared_files(event: Body) -> str:
    """A file shared in the DM, as the text command adding it to portfolio work by permalink."""
    links = [text(f, "permalink") for f in objs(event, "files") if f.get("permalink")]
    return f"portfolio attach {' '.join(links)}" if links else ""


def from_message(event: Body, envelope: Body) -> Incoming | None:
    """A person's message in the bot's DM; None for edits, bots and anything not in a DM."""
    subtype = event.get("subtype")
    if subtype not in (None, "file_share") or event.get("bot_id"):
        return None
    if event.get("channel_type") != "im":
        return None
    said = shared_files(event) if subtype == "file_share" else text(event, "text")
    if not event.get("user") or not said.strip():
        return None
    user = user_id(event["user"])
    team = team_of(envelope) if envelope.get("team_id") else team_id(event.get("team"))
    event_id = text(envelope, "event_id") or f"msg:{text(event, 'ts')}"
    inbound = Inbound(actor(team, user), TextInput(said), event_id)
    return Incoming(inbound, Origin(team, user, text(event, "channel"), in_dm=True))


def from_home_opened(event: Body, envelope: Body) -> Incoming | None:
    """Opening the Home tab asks for the dashboard (the Messages tab needs nothing)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return None
    team, user = team_id(envelope.get("team_id")), user_id(event["user"])
    inbound = Inbound(actor(team, user), ActionInput(HOME()), text(envelope, "event_id"))
    return Incoming(inbound, Origin(team, user, surface="home"))


def _kind(body: Body) -> str:
    return text(body, "type") or "act"


def interaction_id(body: Body) -> str:
    """Same for a redelivery of one click or submission, different for a second click."""
    trigger = text(body, "trigger_id")
    if trigger:
        return f"{_kind(body)}:{trigger}"
    action = (objs(body, "actions") or [{}])[0]
    view = obj(body, "view")
    return f"{_kind(body)}:{text(action, 'action_ts')}:{text(view, 'hash')}"


def _message_origin(body: Body, surface: str = "message") -> Origin:
    container = obj(body, "container")
    message = obj(body, "message")
    channel = text(container, "channel_id") or (
        text(obj(body, "channel"), "id") if isinstance(body.get("channel"), dict) else ""
    )
    return Origin(
        team_of(body),
        user_id(obj(body, "user").get("id")),
        channel_id=channel,
        message_ts=text(container, "message_ts") or text(message, "ts"),
        in_dm=channel.startswith("D"),  # our buttons in a DM: only ever the bot's own DM
        ephemeral=bool(container.get("is_ephemeral")),
        response_url=text(body, "response_url"),
        source_blocks=tuple(objs(message, "blocks")),
        surface="home" if container.get("type") == "view" else surface,
    )


def _values(state: Body) -> dict[str, str | list[str]]:
    return state_values(obj(state, "values"))


def from_action(body: Body) -> Incoming:
    """A button: its Action, with the values of any inputs in the same message or view."""
    clicked = (objs(body, "actions") or [{}])[0]
    value = clicked.get("value")
    action = decode_action(text(clicked, "action_id"), text(clicked, "value") if value else None)
    state = obj(body, "state") if body.get("state") else obj(obj(body, "view"), "state")
    origin = _message_origin(body)
    inbound = Inbound(
        actor(origin.team_id, origin.user_id),
        ActionInput(action, _values(state)),
        interaction_id(body),
        "" if origin.ephemeral else shared_channel(origin.team_id, origin.channel_id),
    )
    return Incoming(inbound, origin)


def from_submission(body: Body) -> Incoming:
    """A modal's submit: the form's action and values; the origin is the message it came from."""
    view = obj(body, "view")
    try:
        source = ModalSource.unpack(text(view, "private_metadata") or "{}")
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise BadPayload(f"the modal's private_metadata is not ours: {type(exc).__name__}") from exc
    team, user = team_of(body), user_id(obj(body, "user").get("id"))
    values = _values(obj(view, "state"))
    inbound = Inbound(
        actor(team, user),
        ActionInput(source.action, values),
        interaction_id(body),
        shared_channel(team, source.channel_id),
    )
    origin = Origin(
        team,
        user,
        channel_id=source.channel_id,
        message_ts=source.message_ts,
        surface="home" if source.from_home else "modal",
    )
    return Incoming(inbound, origin)
