"""Which cadence, time zone and quiet hours apply to an enrollment, and where each comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import BadRequest
from bot.delivery.slots import in_window, next_slot, window_open
from bot.learning.cadence import Cadence, effective_cadence
from bot.learning.window import DEFAULT_WINDOW, QuietWindow, parse_window

UTC_ZONE = ZoneInfo("UTC")
SEARCH = 1000


@dataclass(frozen=True)
class Rule:
    """An enrollment's delivery rule: when slots fall and when anything may arrive."""

    cadence: Cadence
    source: str
    """Where the cadence comes from: `enrollment`, `learner`, `cohort` or `program`."""
    zone: ZoneInfo
    window: QuietWindow
    anchor: date
    """First day of an every-N-days rhythm (the enrollment's start, local)."""

    @property
    def key(self) -> str:
        """Stored with each planned slot, so a changed rule re-plans it."""
        return f"{self.cadence}|{self.zone.key}|{self.window}|{self.anchor.isoformat()}"

    def next_slot(self, after: datetime) -> datetime:
        return next_slot(self.cadence, self.zone, after, self.anchor)

    def deliver_at(self, moment: datetime) -> datetime:
        """`moment`, or the next opening of the quiet window when it falls outside."""
        return window_open(moment, self.window, self.zone)

    def allows(self, moment: datetime) -> bool:
        return in_window(moment, self.window, self.zone)

    def upcoming(self, after_slot: datetime, now: datetime) -> tuple[datetime, datetime]:
        """The first slot after `after_slot` still to be delivered at `now`: (slot, due).

        A slot outside the quiet window is due when the window opens, so a 07:00 slot is
        still ahead at 08:00 when the window opens at 09:00; slots that fall into one
        opening (a weekend's) are delivered once.
        """
        slot = self.next_slot(after_slot)
        for _ in range(SEARCH):
            due = self.deliver_at(slot)
            if due > now:
                return slot, due
            slot = self.next_slot(slot)
        slot = self.next_slot(now)
        return slot, self.deliver_at(slot)

    def missed(self, since_slot: datetime, now: datetime) -> int:
        """How many deliveries slots from `since_slot` on would have made by `now` (≥ 1)."""
        count, slot, last = 0, since_slot, None
        while count < 99:
            due = self.deliver_at(slot)
            if due > now:
                break
            if due != last:
                count, last = count + 1, due
            slot = self.next_slot(slot)
        return max(count, 1)


@lru_cache(maxsize=512)
def zone_of(name: str) -> ZoneInfo:
    """The learner's zone; UTC when unset or unknown."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


@lru_cache(maxsize=256)
def window_of(text: str | None, default: str = DEFAULT_WINDOW) -> QuietWindow:
    for candidate in (text, default, DEFAULT_WINDOW):
        if candidate:
            try:
                return parse_window(candidate)
            except BadRequest:
                continue
    raise AssertionError("the default window parses")  # pragma: no cover


def rule_for(
    *,
    enrollment_cadence: str | None,
    learner_cadence: str | None,
    cohort_cadence: str | None,
    program_cadence: str,
    timezone: str,
    quiet_hours: str | None,
    default_window: str,
    started_at: datetime,
) -> Rule:
    """The effective rule: enrollment, then learner, then cohort, then program cadence."""
    zone = zone_of(timezone)
    found = effective_cadence(
        enrollment=enrollment_cadence,
        learner=learner_cadence,
        cohort=cohort_cadence,
        program=program_cadence,
    )
    cadence, source = found.cadence, found.source
    window = window_of(quiet_hours, default_window)
    return Rule(cadence, source, zone, window, started_at.astimezone(zone).date())
