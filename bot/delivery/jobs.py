"""The scheduler's system jobs, referenced by import path (`bot.delivery.jobs:tick`)."""

from __future__ import annotations

from typing import Protocol


class Runtime(Protocol):
    """What the jobs drive: the delivery service of this process."""

    async def tick(self) -> object: ...

    async def plan(self) -> object: ...

    async def housekeeping(self) -> object: ...

    async def run_job(self, name: str) -> object: ...


_runtime: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    """Point the jobs at this process's delivery service (None: detach)."""
    global _runtime
    _runtime = runtime


def _current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("no delivery service runs in this process")
    return _runtime


async def tick() -> None:
    """Move due slots, nudges, repetitions and deadlines into the outbox."""
    await _current().tick()


async def plan() -> None:
    """Give every open enrollment its next slot and its deadline reminders."""
    await _current().plan()


async def housekeeping() -> None:
    """Forget old sent messages, closed due rows and dead workers."""
    await _current().housekeeping()


async def run(name: str) -> None:
    """A periodic job another feature registered (`DeliveryService.every`), by name."""
    await _current().run_job(name)
