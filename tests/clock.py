"""A clock tests move by hand (the `Clock` port of bot/core/ports.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current
