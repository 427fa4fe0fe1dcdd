"""Cross-cutting handling of every inbound event: de-duplication and error replies."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Protocol

from bot.core.copy import speaking, t
from bot.core.errors import BadRequest, CannotProceed
from bot.core.events import Inbound, TextInput
from bot.core.observing import current_event
from bot.core.ports import Conversation, Observer, Unobserved
from bot.core.views import Reply, say

log = logging.getLogger(__name__)

Next = Callable[[Inbound], Awaitable[Reply]]


def apology() -> str:
    """What a learner reads when a fault (ours, or an outage) stopped their request."""
    return t("errors.apology")


class Middleware(Protocol):
    async def __call__(self, inbound: Inbound, nxt: Next) -> Reply: ...


class TurnClaim(Protocol):
    """An event id claimed inside the turn's own transaction (`EventClaims.with_turn`)."""

    @property
    def committed(self) -> bool:
        """The turn's transaction carried the claim and committed."""
        ...

    @property
    def duplicate(self) -> bool:
        """The id was claimed before: the turn rolled back."""
        ...


class EventClaims(Protocol):
    """Remembers handled event ids (the database in production)."""

    async def claim(self, key: str) -> bool:
        """Claim `key` on its own; False when it was claimed before."""
        ...

    def with_turn(self, key: str) -> AbstractContextManager[TurnClaim]:
        """Claim `key` in the turn's own transaction, which a duplicate rolls back."""
        ...


class Deduplicate:
    """Handle each platform event id once; a retry of a handled event gets no reply.

    The claim commits with the turn, so a turn that failed or was rolled back leaves the id
    free for a retry, and one that committed can never run again. A turn that committed
    nothing claims the id on its own afterwards."""

    def __init__(self, claims: EventClaims) -> None:
        self.claims = claims

    async def __call__(self, inbound: Inbound, nxt: Next) -> Reply:
        if not inbound.event_id:
            return await nxt(inbound)
        key = f"{inbound.actor.workspace}:{inbound.event_id}"
        reply = Reply()
        with self.claims.with_turn(key) as claim:
            reply = await nxt(inbound)
        if claim.duplicate or (not claim.committed and not await self.claims.claim(key)):
            log.info("duplicate event %s ignored", key)
            return Reply()
        return reply


class ErrorReplies:
    """Turn user errors into clear messages, and faults into an apology plus a log entry.

    Exceptions of the `outages` types (a database that cannot be reached) get the same
    apology, marked as an outage, and one log line without a traceback."""

    def __init__(self, outages: tuple[type[Exception], ...] = ()) -> None:
        self.outages = outages

    async def __call__(self, inbound: Inbound, nxt: Next) -> Reply:
        try:
            return await nxt(inbound)
        except (BadRequest, CannotProceed) as exc:
            return replace(say(str(exc)), refused=str(exc))
        except self.outages as exc:
            log.error("cannot handle an event from %s: %s", inbound.actor.identity, exc)
            return replace(say(apology()), outage=True)
        except Exception:
            log.exception("failed to handle %r from %s", inbound.input, inbound.actor.identity)
            return say(apology())


class Router:
    """Runs the middleware chain, then the conversation handler (timed for `observer`)."""

    def __init__(
        self,
        handler: Conversation,
        middleware: list[Middleware],
        observer: Observer | None = None,
    ) -> None:
        self.handler = handler
        self.middleware = middleware
        self.observer: Observer = observer or Unobserved()

    async def handle(self, inbound: Inbound) -> Reply:
        async def call(index: int, event: Inbound) -> Reply:
            if index == len(self.middleware):
                return await self.handler.handle(event)
            return await self.middleware[index](event, lambda e: call(index + 1, e))

        kind = "text" if isinstance(inbound.input, TextInput) else "action"
        started = time.perf_counter()
        with current_event(inbound.event_id) as statements, speaking(inbound.actor.locale):
            try:
                return await call(0, inbound)
            finally:
                seconds = time.perf_counter() - started
                self.observer.event_handled(kind, seconds, statements())
