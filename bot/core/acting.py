"""Who the event being handled came from, for code that must know whether to reply or DM."""

from __future__ import annotations

from contextvars import ContextVar

from bot.core.events import Inbound
from bot.core.middleware import Next
from bot.core.views import Reply

_acting: ContextVar[str | None] = ContextVar("acting_identity", default=None)


def acting_identity() -> str | None:
    """The identity whose inbound event is being handled; None outside one (CLI, scheduler)."""
    return _acting.get()


class CurrentActor:
    """Middleware: remembers the actor of each inbound event while it is handled."""

    async def __call__(self, inbound: Inbound, nxt: Next) -> Reply:
        token = _acting.set(inbound.actor.identity)
        try:
            return await nxt(inbound)
        finally:
            _acting.reset(token)
