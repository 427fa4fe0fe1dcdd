"""Slot arithmetic in a learner's own time zone: cadence slots and quiet windows, DST-safe."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.learning.cadence import DAYS, Cadence
from bot.learning.window import QuietWindow

DAY_MINUTES = 24 * 60


def local_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall time `minutes` after midnight on `day`.

    A wall time that does not exist (the spring-forward gap) maps to the same distance
    past the gap; a repeated one (fall back) to its first occurrence. So 09:30 stays
    09:30 local across daylight-saving changes.
    """
    if minutes >= DAY_MINUTES:
        day, minutes = day + timedelta(days=1), minutes - DAY_MINUTES
    wall = datetime.combine(day, time(minutes // 60, minutes % 60)).replace(tzinfo=zone)
    return wall.astimezone(UTC)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def on_cadence(cadence: Cadence, day: date, anchor: date) -> bool:
    """Whether `day` (a local date) has a slot; every-N-days counts from `anchor`."""
    if cadence.every_days:
        return (day - anchor).days % cadence.every_days == 0
    return DAYS[day.weekday()] in cadence.days


def next_slot(cadence: Cadence, zone: ZoneInfo, after: datetime, anchor: date) -> datetime:
    """The first slot of `cadence` strictly after `after` (UTC in, UTC out)."""
    day = after.astimezone(zone).date()
    for offset in range(64):
        candidate = day + timedelta(days=offset)
        if on_cadence(cadence, candidate, anchor):
            instant = local_instant(candidate, _minutes(cadence.at), zone)
            if instant > after:
                return instant
    raise ValueError(f"cadence {cadence} has no slot")  # pragma: no cover - parse forbids it


def in_window(moment: datetime, window: QuietWindow, zone: ZoneInfo) -> bool:
    """Whether a scheduled message may arrive at `moment`."""
    day = moment.astimezone(zone).date()
    if not window.allows_day(day.weekday()):
        return False
    return local_instant(day, window.start, zone) <= moment < local_instant(day, window.end, zone)


def window_open(moment: datetime, window: QuietWindow, zone: ZoneInfo) -> datetime:
    """The earliest instant at or after `moment` inside the window."""
    day = moment.astimezone(zone).date()
    for offset in range(15):
        candidate = day + timedelta(days=offset)
        if not window.allows_day(candidate.weekday()):
            continue
        start = local_instant(candidate, window.start, zone)
        end = local_instant(candidate, window.end, zone)
        if moment < end:
            return max(moment, start)
    raise ValueError(f"window {window} has no day")  # pragma: no cover - parse forbids it


def slots_between(
    cadence: Cadence, zone: ZoneInfo, start: datetime, end: datetime, anchor: date, limit: int = 99
) -> int:
    """How many slots fall in [start, end], counting at most `limit`."""
    count, moment = 0, start - timedelta(microseconds=1)
    while count < limit:
        moment = next_slot(cadence, zone, moment, anchor)
        if moment > end:
            break
        count += 1
    return count
