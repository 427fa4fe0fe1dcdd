"""Bot Framework activities → neutral inbound events, addresses and install events."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from bot.channels.teams.render import DATA_KEY
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.core.views import Action

MALFORMED = (
    "That card did not carry what I need to act on it (it may come from an older version "
    "of the bot). Type `help` to see what you can do, or `next` for your current step."
)
UNKNOWN_PERSON = (
    "I could not tell who you are from this message, so nothing was recorded. "
    "Please write to me from Microsoft Teams."
)
MENU = {"next lesson": "next", "my progress": "progress"}
"""Command-menu titles (manifest.json) that differ from the text commands."""
_AT = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_MAX_ARGS = 20
_MAX_ARG = 500
_MAX_VALUE = 20_000
MAX_ID = 512
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadActivity(ValueError):
    """A body that is not a well-formed Bot Framework activity: answered 400, not processed."""


def is_platform_id(value: object) -> bool:
    """A Teams or Bot Framework id: a non-empty string of bounded length, no control chars."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID and not _CONTROL.search(value)


def _checked(body: dict[str, Any], key: str, ids: tuple[str, ...], *, required: bool) -> None:
    value = body.get(key)
    if value is None and not required:
        return
    if not isinstance(value, dict):
        raise BadActivity(f"'{key}' is not an object")
    for name in ids:
        needed = name == "id" or value.get(name) is not None
        if needed and not is_platform_id(value.get(name)):
            raise BadActivity(f"'{key}.{name}' is not an id")


def check_activity(body: object) -> None:
    """BadActivity unless the fields we read have their types and the ids look like ids."""
    if not isinstance(body, dict):
        raise BadActivity("expected an activity object")
    for key in ("type", "id", "serviceUrl", "channelId", "text", "name", "replyToId", "locale"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise BadActivity(f"'{key}' is not a string")
    if not is_platform_id(body.get("serviceUrl")):
        raise BadActivity("the activity has no serviceUrl")
    _checked(body, "conversation", ("id", "tenantId", "conversationType"), required=True)
    _checked(body, "from", ("id", "aadObjectId"), required=False)
    _checked(body, "recipient", ("id",), required=False)
    data = body.get("channelData")
    if data is not None and not isinstance(data, dict):
        raise BadActivity("'channelData' is not an object")
    for key in ("tenant", "channel", "team"):
        _checked(data or {}, key, ("id",), required=False)
    for key in ("entities", "membersAdded", "membersRemoved"):
        items = body.get(key)
        if items is not None and not (
            isinstance(items, list) and all(isinstance(i, dict) for i in items)
        ):
            raise BadActivity(f"'{key}' is not a list of objects")
    for key in ("membersAdded", "membersRemoved"):
        for member in body.get(key) or ():
            if not is_platform_id(member.get("id")):
                raise BadActivity(f"a member in '{key}' has no id")


def activity_of(body: object) -> Activity:
    """The activity in a request body, read as leniently as authentication needs."""
    if not isinstance(body, dict):
        raise BadActivity("expected an activity object")
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError) as exc:
        raise BadActivity("the body is not a Bot Framework activity") from exc
    if not activity.type:
        raise BadActivity("the activity has no type")
    return activity


def parse_activity(body: object) -> Activity:
    """The activity in a request body; BadActivity when its shape or its ids are wrong."""
    check_activity(body)
    return activity_of(body)


@dataclass(frozen=True)
class Problem:
    """An activity we cannot act on, and the clear reply that says why."""

    text: str


@dataclass(frozen=True)
class Install:
    """The app was added to or removed from a personal chat or a team."""

    added: bool
    kind: str
    """`personal` or `channel`."""
    address: str


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _props(model: Any) -> dict[str, Any]:
    return dict(getattr(model, "additional_properties", None) or {})


def tenant_of(activity: Activity) -> str:
    data = _dict(activity.channel_data)
    tenant = _dict(data.get("tenant"))
    conversation = activity.conversation
    found = (
        tenant.get("id")
        or (conversation and (conversation.tenant_id or _props(conversation).get("tenantId")))
        or ("emulator" if activity.channel_id == "emulator" else "")
    )
    return str(found or "")


def kind_of(activity: Activity) -> str:
    """`personal`, `channel` or `groupChat` (the Emulator's chats count as personal)."""
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    return str(kind)


def _client_info(activity: Activity) -> dict[str, Any]:
    for entity in activity.entities or []:
        if getattr(entity, "type", "") == "clientInfo":
            return _props(entity)
    return {}


def _timezone(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 64:
        return ""
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name.strip()


def actor_of(activity: Activity) -> Actor | None:
    """The person who acted, as (tenant, AAD object id); None when Teams did not say."""
    sender = activity.from_property
    tenant = tenant_of(activity)
    if sender is None or not tenant:
        return None
    user = sender.aad_object_id or (sender.id if activity.channel_id == "emulator" else None)
    if not user or ":" in tenant:
        return None
    info = _client_info(activity)
    locale = activity.locale or info.get("locale") or ""
    return Actor(
        workspace=f"teams:{tenant}",
        user_id=str(user),
        display_name=str(sender.name or ""),
        timezone=_timezone(activity.local_timezone) or _timezone(info.get("timezone")),
        locale=str(locale)[:16],
    )


def channel_id_of(activity: Activity) -> str:
    data = _dict(activity.channel_data)
    channel = _dict(data.get("channel"))
    conversation_id = activity.conversation.id if activity.conversation else ""
    return str(channel.get("id") or (conversation_id or "").split(";", 1)[0])


def address_of(activity: Activity) -> str | None:
    """Where to reach this conversation later: `teams:TENANT:AADID` or `teams:TENANT:CHANNEL`."""
    kind = kind_of(activity)
    if kind == "personal":
        actor = actor_of(activity)
        return actor.identity if actor else None
    tenant = tenant_of(activity)
    channel = channel_id_of(activity)
    return f"teams:{tenant}:{channel}" if kind == "channel" and tenant and channel else None


def shared_of(activity: Activity) -> str:
    """The channel or group chat an activity came from (`teams:TENANT:ID`); '' when personal."""
    if kind_of(activity) == "personal":
        return ""
    return f"teams:{tenant_of(activity)}:{channel_id_of(activity)}"


def clean_text(activity: Activity) -> str:
    """The typed text without the bot's @mention and HTML entities."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = _props(entity)
        mentioned = _dict(props.get("mentioned"))
        if getattr(entity, "type", "") == "mention" and mentioned.get("id") == bot_id:
            text = text.replace(str(props.get("text") or ""), " ")
    text = html.unescape(_AT.sub(" ", text)).strip()
    return MENU.get(text.lower(), text)


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value[:_MAX_VALUE]
    return None


def action_input(data: object) -> ActionInput | Problem:
    """Our Action and the submitted input values from a card's `data`."""
    if not isinstance(data, dict):
        return Problem(MALFORMED)
    raw = data.get(DATA_KEY)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        return Problem(MALFORMED)
    args = raw.get("args", {})
    if not isinstance(args, dict) or len(args) > _MAX_ARGS:
        return Problem(MALFORMED)
    pairs = [(str(k), _scalar(v)) for k, v in args.items()]
    if any(v is None or len(v) > _MAX_ARG for _, v in pairs):
        return Problem(MALFORMED)
    action = Action(raw["name"][:64], tuple(sorted((k, v or "") for k, v in pairs)))
    values: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if key in (DATA_KEY, "msteams") or value is None:
            continue
        if isinstance(value, list):
            items = [_scalar(v) for v in value]
            if any(v is None for v in items):
                return Problem(MALFORMED)
            values[str(key)] = [v for v in items if v is not None]
        elif (scalar := _scalar(value)) is not None:
            values[str(key)] = scalar
        else:
            return Problem(MALFORMED)
    return ActionInput(action, values)


def inbound_of(activity: Activity) -> Inbound | Problem | None:
    """The neutral event for a message or an `adaptiveCard/action` invoke (None: ignore)."""
    actor = actor_of(activity)
    if actor is None:
        return Problem(UNKNOWN_PERSON)
    event_id, shared = str(activity.id or ""), shared_of(activity)
    if activity.type == "invoke":
        value = _dict(activity.value)
        action = _dict(value.get("action"))
        found = action_input(action.get("data"))
        return found if isinstance(found, Problem) else Inbound(actor, found, event_id, shared)
    if isinstance(activity.value, dict) and not (activity.text or "").strip():
        found = action_input(activity.value)  # Action.Submit from a client without Execute
        return found if isinstance(found, Problem) else Inbound(actor, found, event_id, shared)
    text = clean_text(activity)
    return Inbound(actor, TextInput(text), event_id, shared) if text else None


def install_of(activity: Activity) -> Install | None:
    """The install or uninstall this activity reports, for a personal chat or a team."""
    kind = kind_of(activity)
    if kind not in ("personal", "channel"):
        return None
    if activity.type == "installationUpdate":
        added = not str(activity.action or "").startswith("remove")
    elif activity.type == "conversationUpdate":
        bot_id = activity.recipient.id if activity.recipient else None
        added_ids = {m.id for m in activity.members_added or []}
        removed_ids = {m.id for m in activity.members_removed or []}
        if bot_id in added_ids:
            added = True
        elif bot_id in removed_ids:
            added = False
        else:
            return None
    else:
        return None
    address = address_of(activity)
    return Install(added, kind, address) if address else None
