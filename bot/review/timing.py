"""When reviewers are reminded, replaced and escalated, in each reviewer's working hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content import Program
from bot.core.errors import BadRequest
from bot.delivery.slots import local_instant, window_open
from bot.learning.window import DEFAULT_WINDOW, QuietWindow, parse_window
from storage.models import PeerAssignment, Person

WEEK_MINUTES = 7 * 24 * 60
DECIDED = timedelta(days=3650)
"""A reviewer who decided the current version has no timers until the next one."""


@dataclass(frozen=True)
class Timing:
    """The program's clocks (`review:` in program.yaml)."""

    remind: timedelta
    reassign: timedelta
    escalate: timedelta

    @classmethod
    def of(cls, program: Program) -> Timing:
        review = program.meta.review
        return cls(
            timedelta(hours=review.remind_after_hours),
            timedelta(hours=review.reassign_after_hours),
            timedelta(hours=review.escalate_after_hours),
        )


def decided(assignment: PeerAssignment, now: datetime) -> None:
    """No reminders for a reviewer who decided this version."""
    assignment.reminded_at = assignment.reminded_at or now
    assignment.reassign_at = now + DECIDED


def zone_of(person: Person) -> ZoneInfo:
    try:
        return ZoneInfo(person.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def window_of(person: Person) -> QuietWindow:
    """The person's working hours (their quiet-hours setting, else the default)."""
    try:
        return parse_window(person.quiet_hours or DEFAULT_WINDOW)
    except BadRequest:
        return parse_window(DEFAULT_WINDOW)


def remind_at(reviewer: Person, asked_at: datetime, timing: Timing) -> datetime:
    """When to remind: `remind` after asking, moved into the reviewer's working hours."""
    return window_open(asked_at + timing.remind, window_of(reviewer), zone_of(reviewer))


def _week_spans(person: Person, week_of: datetime) -> list[tuple[int, int]]:
    """The person's working hours in the week of `week_of`, as UTC minutes of that week."""
    zone, window = zone_of(person), window_of(person)
    utc = week_of.astimezone(UTC)
    monday = (utc - timedelta(days=utc.weekday())).date()
    origin = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    spans = []
    for offset in range(-1, 8):
        day = monday + timedelta(days=offset)
        if not window.allows_day(day.weekday()):
            continue
        start = local_instant(day, window.start, zone)
        end = local_instant(day, window.end, zone)
        a = int((start - origin).total_seconds() // 60)
        b = int((end - origin).total_seconds() // 60)
        a, b = max(a, 0), min(b, WEEK_MINUTES)
        if a < b:
            spans.append((a, b))
    return spans


def overlap_hours(a: Person, b: Person, now: datetime) -> float:
    """Hours a week both people work at the same time."""
    total = 0
    for a0, a1 in _week_spans(a, now):
        for b0, b1 in _week_spans(b, now):
            total += max(0, min(a1, b1) - max(a0, b0))
    return total / 60
