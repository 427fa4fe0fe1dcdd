"""Cadences like `weekdays 09:30`, `mon,wed,fri 14:00` or `every 3 days 10:00`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from bot.content.schema import DEFAULT_CADENCE
from bot.core.copy import t
from bot.core.errors import BadRequest

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUPS = {"weekdays": DAYS[:5], "daily": DAYS, "weekends": DAYS[5:]}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EVERY = re.compile(r"^every (\d{1,2}) days?$")


@dataclass(frozen=True)
class Cadence:
    """Local delivery times: on `days` (weekday names), or every `every_days` days."""

    at: time
    days: tuple[str, ...] = ()
    every_days: int = 0

    def __str__(self) -> str:
        clock = self.at.strftime("%H:%M")
        if self.every_days:
            return f"every {self.every_days} day{'s' if self.every_days > 1 else ''} {clock}"
        for name, days in _GROUPS.items():
            if self.days == days:
                return f"{name} {clock}"
        return f"{','.join(self.days)} {clock}"


def parse_cadence(text: str, *, shown: str | None = None) -> Cadence:
    """Parse a cadence; BadRequest explains the accepted forms, quoting `shown` (what was
    typed, made safe to display) or else `text`."""
    words = text.strip().lower()
    head, _, clock = words.rpartition(" ")
    match = _TIME.match(clock)
    if not head or not match:
        raise BadRequest(t("cadence.unknown", text=text if shown is None else shown))
    at = time(int(match.group(1)), int(match.group(2)))
    if every := _EVERY.match(head):
        n = int(every.group(1))
        if not 1 <= n <= 30:
            raise BadRequest(t("cadence.every_out_of_range"))
        return Cadence(at, every_days=n)
    if head in _GROUPS:
        return Cadence(at, days=_GROUPS[head])
    days = [d.strip()[:3] for d in re.split(r"[,\s]+", head) if d.strip()]
    unknown = [d for d in days if d not in DAYS]
    if unknown or not days:
        raise BadRequest(t("cadence.unknown", text=text if shown is None else shown))
    return Cadence(at, days=tuple(d for d in DAYS if d in days))


@dataclass(frozen=True)
class Effective:
    """The cadence in force and who set it."""

    cadence: Cadence
    source: str
    """`enrollment`, `learner`, `cohort` or `program`."""


@lru_cache(maxsize=512)
def _parsed(text: str) -> Cadence | None:
    try:
        return parse_cadence(text)
    except BadRequest:
        return None


def effective_cadence(
    *,
    enrollment: str | None = None,
    learner: str | None = None,
    cohort: str | None = None,
    program: str | None = None,
) -> Effective:
    """The one precedence: enrollment, then learner, then cohort, then program, then the
    default; a setting that does not parse is passed over. The scheduler, the settings and
    Home screens, and challenge scoring all read the cadence through this."""
    sources = (
        ("enrollment", enrollment),
        ("learner", learner),
        ("cohort", cohort),
        ("program", program),
        ("program", DEFAULT_CADENCE),
    )
    return next(
        Effective(parsed, source) for source, text in sources if text and (parsed := _parsed(text))
    )
