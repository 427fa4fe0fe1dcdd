"""Quiet hours: the local days and hours when scheduled messages may arrive."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.copy import t
from bot.core.errors import BadRequest
from bot.learning.cadence import DAYS

_GROUPS = {"weekdays": DAYS[:5], "daily": DAYS, "everyday": DAYS, "weekends": DAYS[5:]}
_SPAN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]?\d|2[0-4]):([0-5]\d)$")

DEFAULT_WINDOW = "weekdays 09:00-18:00"


@dataclass(frozen=True)
class QuietWindow:
    """Scheduled messages arrive on `days`, from `start` to `end` minutes after local midnight."""

    days: tuple[str, ...]
    start: int
    end: int

    def allows_day(self, weekday: int) -> bool:
        return DAYS[weekday] in self.days

    @property
    def weekends(self) -> bool:
        return any(d in self.days for d in DAYS[5:])

    def __str__(self) -> str:
        span = f"{_clock(self.start)}-{_clock(self.end)}"
        for name, days in _GROUPS.items():
            if self.days == days:
                return f"{name} {span}"
        return f"{','.join(self.days)} {span}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_window(text: str, *, shown: str | None = None) -> QuietWindow:
    """Parse quiet hours; BadRequest explains the accepted forms, quoting `shown` (what was
    typed, made safe to display) or else `text`."""
    words = re.sub(r"\s*[-–]\s*", "-", text.strip().lower())
    head, _, span = words.rpartition(" ")
    match = _SPAN.match(span)
    if not head or not match:
        raise BadRequest(t("window.unknown", text=text if shown is None else shown))
    start = int(match.group(1)) * 60 + int(match.group(2))
    end = int(match.group(3)) * 60 + int(match.group(4))
    if end > 24 * 60 or end - start < 60:
        raise BadRequest(t("window.too_short"))
    if head in _GROUPS:
        return QuietWindow(_GROUPS[head], start, end)
    days = [d.strip()[:3] for d in re.split(r"[,\s]+", head) if d.strip()]
    if not days or any(d not in DAYS for d in days):
        raise BadRequest(t("window.unknown", text=text if shown is None else shown))
    return QuietWindow(tuple(d for d in DAYS if d in days), start, end)
