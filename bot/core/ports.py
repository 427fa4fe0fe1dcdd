"""The seams the core talks to, as Protocols."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.events import Inbound
from bot.core.views import Reply


class Clock(Protocol):
    def now(self) -> datetime: ...


class Conversation(Protocol):
    """What every channel calls: one inbound event in, one reply out."""

    async def handle(self, inbound: Inbound) -> Reply: ...
