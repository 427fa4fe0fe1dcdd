"""The scheduler's one job, referenced by import path (`bot.runtime.jobs:run`)."""

from __future__ import annotations

from typing import Protocol


class Runner(Protocol):
    """What the job drives: this process's periodic sweeps."""

    async def run(self, name: str) -> object: ...


_runner: Runner | None = None


def install(runner: Runner | None) -> None:
    """Point the job at this process's sweeps (None: detach)."""
    global _runner
    _runner = runner


async def run(name: str) -> None:
    """Run the periodic sweep registered under `name` (`Periodic.every`)."""
    if _runner is None:
        raise RuntimeError("no periodic sweeps run in this process")
    await _runner.run(name)
