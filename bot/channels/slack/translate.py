"""Slack payloads to neutral inbound events, plus where the answer should go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.slack.actions import decode_action
from bot.channels.slack.modals import ModalSource, state_values
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.core.views import Action

Body = dict[str, Any]


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
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    return str(
        body.get("team_id")
        or (team.get("id") if isinstance(team, dict) else "")
        or (user or {}).get("team_id")
        or (body.get("enterprise") or {}).get("id")
        or body.get("enterprise_id")
        or ""
    )


def actor(team_id: str, user_id: str) -> Actor:
    """The person as Slack names them: identity `slack:TEAM:USER`."""
    return Actor(f"slack:{team_id}", user_id)


def from_command(body: Body) -> Incoming:
    """`/learn next` → the text command `next` (an empty `/learn` asks for help)."""
    text = str(body.get("text") or "").strip() or "help"
    team, user = team_of(body), str(body.get("user_id", ""))
    channel_id = str(body.get("channel_id", ""))
    shared = f"slack:{team}:{channel_id}" if channel_id[:1] in ("C", "G") else ""
    inbound = Inbound(
        actor(team, user), TextInput(text), f"cmd:{body.get('trigger_id', '')}", shared
    )
    origin = Origin(
        team,
        user,
        channel_id=str(body.get("channel_id", "")),
        response_url=str(body.get("response_url", "")),
        surface="command",
    )
    return Incoming(inbound, origin)


def shared_files(event: Body) -> str:
    """A file shared in the DM, as the text command adding it to portfolio work by permalink."""
    links = [str(f["permalink"]) for f in event.get("files") or () if f.get("permalink")]
    return f"portfolio attach {' '.join(links)}" if links else ""


def from_message(event: Body, envelope: Body) -> Incoming | None:
    """A person's message in the bot's DM; None for edits, bots and anything not in a DM."""
    subtype = event.get("subtype")
    if subtype not in (None, "file_share") or event.get("bot_id"):
        return None
    if event.get("channel_type") != "im":
        return None
    user, text = str(event.get("user") or ""), str(event.get("text") or "")
    if subtype == "file_share":
        text = shared_files(event)
    if not user or not text.strip():
        return None
    team = str(envelope.get("team_id") or event.get("team") or "")
    event_id = str(envelope.get("event_id") or f"msg:{event.get('ts', '')}")
    inbound = Inbound(actor(team, user), TextInput(text), event_id)
    return Incoming(inbound, Origin(team, user, str(event.get("channel", "")), in_dm=True))


def from_home_opened(event: Body, envelope: Body) -> Incoming | None:
    """Opening the Home tab asks for the dashboard (the Messages tab needs nothing)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return None
    team = str(envelope.get("team_id") or "")
    user = str(event["user"])
    event_id = str(envelope.get("event_id") or "")
    inbound = Inbound(actor(team, user), ActionInput(Action.of("home")), event_id)
    return Incoming(inbound, Origin(team, user, surface="home"))


def interaction_id(body: Body) -> str:
    """Same for a redelivery of one click or submission, different for a second click."""
    trigger = body.get("trigger_id")
    if trigger:
        return f"{body.get('type', 'act')}:{trigger}"
    action = (body.get("actions") or [{}])[0]
    view = body.get("view") or {}
    return f"{body.get('type', 'act')}:{action.get('action_ts', '')}:{view.get('hash', '')}"


def _message_origin(body: Body, surface: str = "message") -> Origin:
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    return Origin(
        team_of(body),
        str((body.get("user") or {}).get("id", "")),
        channel_id=channel,
        message_ts=str(container.get("message_ts") or message.get("ts") or ""),
        in_dm=channel.startswith("D"),  # our buttons in a DM: only ever the bot's own DM
        ephemeral=bool(container.get("is_ephemeral")),
        response_url=str(body.get("response_url") or ""),
        source_blocks=tuple(message.get("blocks") or ()),
        surface="home" if container.get("type") == "view" else surface,
    )


def from_action(body: Body) -> Incoming:
    """A button: its Action, with the values of any inputs in the same message or view."""
    clicked = (body.get("actions") or [{}])[0]
    action = decode_action(str(clicked.get("action_id", "")), clicked.get("value"))
    state = (body.get("state") or (body.get("view") or {}).get("state") or {}).get("values")
    origin = _message_origin(body)
    inbound = Inbound(
        actor(origin.team_id, origin.user_id),
        ActionInput(action, state_values(state or {})),
        interaction_id(body),
    )
    return Incoming(inbound, origin)


def from_submission(body: Body) -> Incoming:
    """A modal's submit: the form's action and values; the origin is the message it came from."""
    view = body.get("view") or {}
    source = ModalSource.unpack(str(view.get("private_metadata") or "{}"))
    team, user = team_of(body), str((body.get("user") or {}).get("id", ""))
    values = state_values((view.get("state") or {}).get("values") or {})
    inbound = Inbound(actor(team, user), ActionInput(source.action, values), interaction_id(body))
    origin = Origin(
        team,
        user,
        channel_id=source.channel_id,
        message_ts=source.message_ts,
        surface="home" if source.from_home else "modal",
    )
    return Incoming(inbound, origin)
