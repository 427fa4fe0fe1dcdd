"""Block Kit of messages many learners share: a template rendered once, filled per send."""

from __future__ import annotations

import json
from typing import Any

from bot.channels.slack import limits
from bot.channels.slack.render import Payload, render_message
from bot.core.templates import SLOT, enrollment_in, template_of
from bot.core.views import Message

KEEP = 256
"""Templates remembered (one per step, cadence and wording in flight)."""
_UNSHARED = ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _fits(parts: list[Payload], text: str) -> bool:
    """Far enough from every limit that no enrollment id's length could change the render."""
    return (
        len(parts) == 1
        and len(text) < limits.MESSAGE_CHARS // 2
        and all(len(s) < limits.BUTTON_VALUE // 2 for s in _strings(parts) if SLOT in s)
    )


class RenderedTemplates:
    """`render_message`, rendering a template once (per step key, content and wording: the
    template is all of them) and putting each learner's enrollment id into the rendered text.

    A template is used only when, for the first learner it is rendered for, the filled text
    is exactly that learner's own `render_message`, and it is far from Slack's limits;
    otherwise (and for messages without a template) each send renders as before.
    """

    def __init__(self) -> None:
        self.known: dict[Message, str] = {}

    def render(self, message: Message) -> list[Payload]:
        value = enrollment_in(message)
        if value is not None and not value.isdigit():
            return render_message(message)
        base = Message(message.blocks, message.fallback)  # the key is not rendered
        template = base if value is None else template_of(base, value)
        if template is None:
            return render_message(message)
        text = self.known.get(template)
        if text is None:
            text = self._prepare(template, message, value)
        if text is _UNSHARED:
            return render_message(message)
        parts: list[Payload] = json.loads(text if value is None else text.replace(SLOT, value))
        return parts

    def _prepare(self, template: Message, message: Message, value: str | None) -> str:
        own = render_message(message)
        if value is None:
            text = json.dumps(own, ensure_ascii=False)
        else:
            try:
                parts = render_message(template)
            except ValueError:
                parts = []
            text = json.dumps(parts, ensure_ascii=False)
            if not parts or not _fits(parts, text) or json.loads(text.replace(SLOT, value)) != own:
                text = _UNSHARED
        if len(self.known) >= KEEP:
            self.known.clear()
        self.known[template] = text
        return text
