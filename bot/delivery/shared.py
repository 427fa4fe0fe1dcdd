"""Outbox rows of messages many learners share: each template dumped and hashed once."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bot.core.templates import template_of
from bot.core.views import Message
from bot.delivery.codec import dump_message, dump_shared

KEEP = 256
"""Templates remembered (a tick sees a handful: one per step, cadence and wording)."""


class SharedMessages:
    """What an outbox row stores for a message: the shared form when the message is a
    template plus the learner's enrollment id (the template dumped and hashed once per
    distinct template), else the message itself. The templates a batch used (`take_used`)
    are stored with its rows."""

    def __init__(self) -> None:
        self.known: dict[Message, tuple[str, dict[str, Any]]] = {}
        self.used: dict[str, dict[str, Any]] = {}

    def stored(self, message: Message, enrollment_id: int | None) -> dict[str, Any]:
        if enrollment_id is None:
            return dump_message(message)
        value = str(enrollment_id)
        template = template_of(message, value)
        if template is None:
            return dump_message(message)
        known = self.known.get(template)
        if known is None:
            dumped = dump_message(template)
            canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
            known = (hashlib.sha256(canonical.encode()).hexdigest()[:32], dumped)
            if len(self.known) >= KEEP:
                self.known.clear()
            self.known[template] = known
        digest, dumped = known
        self.used[digest] = dumped
        return dump_shared(digest, value)

    def take_used(self) -> dict[str, dict[str, Any]]:
        """The templates (by digest) used since the last call."""
        used, self.used = self.used, {}
        return used
