"""A `Messenger` that records what would reach people, keeping the promise of a send's key."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

from bot.core.errors import Unreachable
from bot.core.views import Message

Kind = Literal["direct", "post", "update"]


@dataclass(frozen=True)
class Sent:
    kind: Kind
    to: str
    """The identity (`direct`), the channel (`post`), or the reference updated (`update`)."""
    message: Message
    key: str = ""
    ref: str = ""
    """The reference the send returned ('' for an update)."""


@dataclass
class FakeMessenger:
    """`bot.core.ports.Messenger` for one platform, recording every send and update in order.

    A keyed send to a place that already got that key returns the earlier reference and
    shows nothing new, as SlackMessenger does by finding the key in the message metadata;
    it is kept in `repeats`, so a test can still tell that a feature asked twice. With
    `dedupe=False` it is a platform that cannot look a key up (Teams): every send arrives.
    """

    platform: str = "slack"
    dedupe: bool = True
    sent: list[Sent] = field(default_factory=list)
    """What reached people, in order."""
    repeats: list[Sent] = field(default_factory=list)
    """Keyed sends answered with the reference of an earlier one (nothing new was shown)."""
    unreachable: set[str] = field(default_factory=set)
    """Identities and channels a send to raises `Unreachable`, as a removed app does."""
    arrived: asyncio.Event = field(default_factory=asyncio.Event, repr=False, compare=False)

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        return self._send("direct", identity, message, key)

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        return self._send("post", channel, message, key)

    async def update(self, ref: str, message: Message) -> None:
        self.sent.append(Sent("update", ref, message))
        self.arrived.set()

    def _send(self, kind: Kind, to: str, message: Message, key: str) -> str:
        if to in self.unreachable:
            raise Unreachable(f"{to}: not_in_channel")
        earlier = next((s for s in self.sent if (s.to, s.key) == (to, key)), None)
        if self.dedupe and key and earlier is not None:
            self.repeats.append(Sent(kind, to, message, key, earlier.ref))
            return earlier.ref
        ref = f"{to}:{len(self.sent) + 1}"
        self.sent.append(Sent(kind, to, message, key, ref))
        self.arrived.set()
        return ref

    async def wait_for(self, kind: Kind, count: int = 1, timeout: float = 10.0) -> list[Sent]:
        """Wait until `count` sends of `kind` have arrived (sent by a background task)."""
        async with asyncio.timeout(timeout):
            while len(self.of(kind)) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.of(kind)

    def of(self, kind: Kind) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind]

    @property
    def direct(self) -> list[Sent]:
        return self.of("direct")

    @property
    def posts(self) -> list[Sent]:
        return self.of("post")

    def current(self, ref: str) -> Message:
        """The message behind `ref` as last updated."""
        shown = [s.message for s in self.sent if s.ref == ref or (s.kind, s.to) == ("update", ref)]
        assert shown, f"nothing was sent as {ref}"
        return shown[-1]
