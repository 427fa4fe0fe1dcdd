"""Streaks: consecutive scheduled slots answered, forgiving paused days and quiet hours.

A slot is a time of the learner's cadence (`weekdays 09:30`) in their time zone. Activity
(a lesson page finished, an answer) counts for the latest slot already delivered; a slot
is missed when the next one was delivered before any activity. Slots that arrive together
because of quiet hours (a weekend slot delivered on Monday morning) count as one, and slots
inside a pause neither count nor break the streak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

LOOKBACK = timedelta(days=31)
"""Far enough back to find the latest slot of any cadence (every 30 days at most)."""
MAX_SLOTS = 400


class Schedule(Protocol):
    """An enrollment's slots (`bot.delivery.rules.Rule` is one)."""

    def next_slot(self, after: datetime) -> datetime: ...

    def deliver_at(self, moment: datetime) -> datetime: ...


@dataclass
class StreakState:
    current: int = 0
    best: int = 0
    last_slot: datetime | None = None
    excused_from: datetime | None = None
    excused_until: datetime | None = None

    def excused(self, slot: datetime) -> bool:
        if self.excused_from is None or slot < self.excused_from:
            return False
        return self.excused_until is None or slot <= self.excused_until


@dataclass(frozen=True)
class Counted:
    """The slot an activity counted for (None: that slot already counted)."""

    slot: datetime | None
    current: int
    restarted: bool


def _delivered(
    schedule: Schedule, state: StreakState, at: datetime
) -> list[tuple[datetime, datetime]]:
    """Slots after the last counted one (or within the lookback) delivered by `at`, unexcused."""
    moment = state.last_slot or (at - LOOKBACK)
    found: list[tuple[datetime, datetime]] = []
    for _ in range(MAX_SLOTS):
        slot = schedule.next_slot(moment)
        if state.excused(slot) and state.excused_until is not None:
            moment = max(slot, state.excused_until)
            continue
        delivered = schedule.deliver_at(slot)
        if delivered > at:
            break
        if not state.excused(slot):
            found.append((slot, delivered))
        moment = slot
    return found


def _missed(slots: list[tuple[datetime, datetime]], before: datetime | None) -> int:
    """Distinct deliveries before the latest one (which is still open), other than `before`."""
    if not slots:
        return 0
    latest = slots[-1][1]
    return len({d for _, d in slots[:-1] if d not in (latest, before)})


def record_activity(state: StreakState, schedule: Schedule, at: datetime) -> Counted:
    """Count the activity at `at`: extend the streak, restart it, or change nothing."""
    slots = _delivered(schedule, state, at)
    if state.last_slot is not None and not slots:
        return Counted(None, state.current, False)
    if not slots:
        slot, missed = at, 0  # before the first slot of a new cadence: today counts
    else:
        slot = slots[-1][0]
        before = schedule.deliver_at(state.last_slot) if state.last_slot else None
        missed = _missed(slots, before)
    restarted = state.last_slot is None or missed > 0 or state.current == 0
    state.current = 1 if restarted else state.current + 1
    state.best = max(state.best, state.current)
    state.last_slot = slot
    return Counted(slot, state.current, restarted)


def pause(state: StreakState, schedule: Schedule, at: datetime) -> None:
    """The learner paused: slots from now on are excused until they resume."""
    if state.excused_from is not None and state.excused_until is not None:
        quiet = state.excused_until
        if schedule.deliver_at(schedule.next_slot(quiet)) > at:
            state.excused_until = None  # paused again before any slot: one long pause
            return
    if state.last_slot is not None and standing(state, schedule, at) == 0:
        state.current = 0  # slots were missed before the pause: the streak already ended
    state.excused_from, state.excused_until = at, None


def resume(state: StreakState, at: datetime) -> None:
    if state.excused_from is not None and state.excused_until is None:
        state.excused_until = at


def standing(state: StreakState, schedule: Schedule, at: datetime) -> int:
    """The streak as it stands at `at`: 0 once a slot after the last counted one was missed."""
    if state.last_slot is None:
        return 0
    slots = _delivered(schedule, state, at)
    return 0 if _missed(slots, schedule.deliver_at(state.last_slot)) else state.current
