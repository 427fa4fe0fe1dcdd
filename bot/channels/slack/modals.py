"""Forms in modals: the view to open, what its submission carries, and inline errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.channels.slack import limits
from bot.channels.slack.actions import FIELD_PREFIX, FORM_CALLBACK, pack_action, unpack_action
from bot.channels.slack.mrkdwn import to_plain
from bot.channels.slack.render import Block, input_block, plain, text_blocks
from bot.core.text import shorten
from bot.core.views import Action, Form

SHOWN_FROM_SOURCE = ("section", "context", "image")
"""Blocks of the clicked message repeated above the inputs (the prompt, the rubric)."""
MAX_SOURCE_BLOCKS = 20


@dataclass(frozen=True)
class ModalSource:
    """Where the modal came from: the submit action and the message to update after it."""

    action: Action
    channel_id: str = ""
    message_ts: str = ""
    from_home: bool = False

    def pack(self) -> str:
        data: dict[str, Any] = {"a": pack_action(self.action)}
        if self.channel_id:
            data["c"], data["ts"] = self.channel_id, self.message_ts
        if self.from_home:
            data["h"] = 1
        value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(value) > limits.PRIVATE_METADATA:
            raise ValueError("modal metadata too long")
        return value

    @classmethod
    def unpack(cls, value: str) -> ModalSource:
        data = json.loads(value or "{}")
        return cls(
            unpack_action(data["a"]),
            str(data.get("c", "")),
            str(data.get("ts", "")),
            bool(data.get("h")),
        )


def modal_view(form: Form, source: ModalSource, shown: list[Block]) -> dict[str, Any]:
    """A one-step modal: the prompt from the clicked message, then one input per field."""
    context = [b for b in shown if b.get("type") in SHOWN_FROM_SOURCE][:MAX_SOURCE_BLOCKS]
    intro = text_blocks(form.intro) if form.intro else []
    inputs = [input_block(f) for f in form.fields]
    room = limits.SURFACE_BLOCKS - len(inputs) - len(intro)
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": plain(form.title, limits.VIEW_TITLE),
        "submit": plain(form.submit.label, limits.VIEW_TITLE),
        "close": plain("Cancel", limits.VIEW_TITLE),
        "private_metadata": source.pack(),
        "blocks": [*context[: max(room, 0)], *intro, *inputs],
    }


def _picked(options: object) -> list[str]:
    items = options if isinstance(options, list) else [options]
    values = [o.get("value") for o in items if isinstance(o, dict)]
    return [v for v in values if isinstance(v, str) and v]


def state_values(values: dict[str, Any]) -> dict[str, str | list[str]]:
    """The field values in a `state.values` object (of a modal, a message or Home).

    Entries of the wrong shape are skipped: what a person typed is only ever a string.
    """
    out: dict[str, str | list[str]] = {}
    for block_id, actions in (values or {}).items():
        if not str(block_id).startswith(FIELD_PREFIX) or not isinstance(actions, dict):
            continue
        name = str(block_id)[len(FIELD_PREFIX) :]
        for state in actions.values():
            if not isinstance(state, dict):
                continue
            if "selected_options" in state:
                out[name] = _picked(state["selected_options"] or [])
            elif "selected_option" in state:
                out[name] = _picked(state["selected_option"] or [])
            else:
                value = state.get("value")
                out[name] = value if isinstance(value, str) else ""
    return out


def field_block_ids(view: dict[str, Any]) -> list[str]:
    return [
        str(b["block_id"])
        for b in view.get("blocks", ())
        if b.get("type") == "input" and str(b.get("block_id", "")).startswith(FIELD_PREFIX)
    ]


def errors_response(view: dict[str, Any], markdown: str) -> dict[str, Any]:
    """`response_action: errors`: the problem shown under the first input, modal kept open."""
    ids = field_block_ids(view) or [f"{FIELD_PREFIX}answer"]
    return {"response_action": "errors", "errors": {ids[0]: shorten(to_plain(markdown), 500)}}
