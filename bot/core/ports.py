"""The seams the core talks to, as Protocols."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.core.events import Inbound
from bot.core.views import Message, Reply


class Clock(Protocol):
    def now(self) -> datetime: ...


class Conversation(Protocol):
    """What every channel calls: one inbound event in, one reply out."""

    async def handle(self, inbound: Inbound) -> Reply: ...


class Messenger(Protocol):
    """Sends messages to people and channels on one platform without an inbound event.

    Used by scheduled delivery, review routing and announcements. `key` is our
    idempotency key for the message (Slack carries it in message metadata).
    Implementations raise `Unreachable` when the person or channel cannot be reached
    for good (uninstalled app, DMs disabled, unknown channel).
    """

    platform: str

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        """DM the person behind `identity`; return the platform's message reference."""
        ...

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        """Post in a bound channel (`slack:TEAM:CHANNEL`, `teams:TENANT:CHANNEL`)."""
        ...

    async def update(self, ref: str, message: Message) -> None:
        """Replace a message we sent earlier, by the reference `send_*` returned."""
        ...


@runtime_checkable
class ThreadReplies(Protocol):
    """Optional next to a Messenger: replies under a message we posted (a thread).

    Slack threads by `thread_ts` (no broadcast to the channel); Teams replies in the
    channel post's reply chain and, where a chat has no threads, sends a new message.
    """

    async def reply_in_thread(self, ref: str, message: Message, *, key: str) -> str:
        """Reply under the message `ref` (from `send_direct`/`post_channel`); its reference."""
        ...


@runtime_checkable
class Reconciler(Protocol):
    """Optional next to a Messenger: finds a message we may already have sent, by our key.

    Scheduled delivery asks before re-sending a message whose send was never confirmed
    (a crash, a timeout, a 5xx). Slack can answer (the key rides in message metadata);
    platforms that cannot simply have no Reconciler.
    """

    async def find_sent(
        self, identity: str, key: str, *, since: datetime | None = None
    ) -> str | None:
        """The reference of the message carrying `key` in the person's DM (sent after
        `since`, when given), or None."""
        ...


@runtime_checkable
class OutboxView(Protocol):
    """Optional next to a Messenger: the same messenger as the outbox should use it (for
    example, handing a send back at once when the platform holds a workspace)."""

    def for_outbox(self) -> Messenger: ...


class Events(Protocol):
    """Publishes an event to the features that subscribed to it; their additions to the reply."""

    async def emit(self, event: object) -> Reply: ...


class NoSubscribers:
    """`Events` with nobody listening (a turn built outside the journey)."""

    async def emit(self, event: object) -> Reply:
        return Reply()


class Observer(Protocol):
    """Watches the engine: each handled event's kind (`text`/`action`), its duration and
    the SQL statements it ran (metrics implement it; the core never knows how)."""

    def event_handled(self, kind: str, seconds: float, statements: int) -> None: ...


class SendObserver(Protocol):
    """Watches outbound sends: each outcome per platform (`sent`, `retried`, `rate_limited`,
    `unreachable`, `failed`) and every HTTP 429 a platform answers."""

    def send_outcome(self, platform: str, outcome: str) -> None: ...

    def throttled(self, platform: str) -> None: ...


class Unobserved:
    """`Observer` and `SendObserver` that record nothing (the default)."""

    def event_handled(self, kind: str, seconds: float, statements: int) -> None:
        return None

    def send_outcome(self, platform: str, outcome: str) -> None:
        return None

    def throttled(self, platform: str) -> None:
        return None


@runtime_checkable
class Observed(Protocol):
    """Optional next to a Messenger: reports its platform's 429s to a `SendObserver`."""

    def observe(self, observer: SendObserver) -> None: ...
