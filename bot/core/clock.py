"""The one system clock; everything that needs the time takes a `Clock` (bot/core/ports.py)."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """The time now, in UTC. Tests pass tests/clock.py's FakeClock instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)


SYSTEM_CLOCK = SystemClock()
