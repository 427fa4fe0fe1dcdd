"""Slack's part of the durable inbox: an Incoming as a row's JSON and back, and the handler
that runs a stored event through the listeners' engine path and delivers the reply."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Protocol

from bot.channels.slack.translate import Incoming, Origin
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.core.views import Action
from storage.models import InboxEventStatus
from storage.queries.event_inbox import ClaimedEvent

PLATFORM = "slack"
VERSION = 1


def event_key(inbound: Inbound) -> str:
    """The engine's de-duplication key (`Deduplicate`): a redelivery is stored once."""
    return f"{inbound.actor.workspace}:{inbound.event_id}"


def dump(incoming: Incoming) -> dict[str, Any]:
    """What the worker needs to run the event and answer where it happened (no bot token:
    the worker asks the messenger for the workspace's, as every other send does)."""
    inbound = incoming.inbound
    if isinstance(inbound.input, TextInput):
        said: dict[str, Any] = {"text": inbound.input.text}
    else:
        action = inbound.input.action
        said = {
            "action": action.name,
            "args": [list(pair) for pair in action.args],
            "values": inbound.input.values,
        }
    return {
        "v": VERSION,
        "actor": asdict(inbound.actor),
        "input": said,
        "event_id": inbound.event_id,
        "channel": inbound.channel,
        "origin": {**asdict(incoming.origin), "source_blocks": list(incoming.origin.source_blocks)},
    }


def load(payload: dict[str, Any]) -> Incoming:
    said = payload["input"]
    if "text" in said:
        given: TextInput | ActionInput = TextInput(said["text"])
    else:
        args = tuple((str(k), str(v)) for k, v in said.get("args", ()))
        given = ActionInput(Action(said["action"], args), dict(said.get("values") or {}))
    inbound = Inbound(
        Actor(**payload["actor"]), given, payload.get("event_id", ""), payload.get("channel", "")
    )
    origin = dict(payload["origin"])
    origin["source_blocks"] = tuple(origin.get("source_blocks") or ())
    return Incoming(inbound, Origin(**origin))


def row(incoming: Incoming, *, received_at: datetime) -> dict[str, Any]:
    """A new inbox row's values for a Slack event."""
    return {
        "key": event_key(incoming.inbound)[:255],
        "platform": PLATFORM,
        "lane": incoming.inbound.actor.identity[:255],
        "payload": dump(incoming),
        "status": InboxEventStatus.PENDING,
        "tries": 0,
        "received_at": received_at,
    }


class Processes(Protocol):
    """What runs a stored event: the listeners' engine path and replies."""

    async def process(self, incoming: Incoming) -> None: ...


class SlackInbox:
    """`InboxHandler` for Slack: the stored event through the listeners, then Replies."""

    def __init__(self, listeners: Processes) -> None:
        self.listeners = listeners

    async def process(self, event: ClaimedEvent) -> None:
        await self.listeners.process(load(event.payload))
