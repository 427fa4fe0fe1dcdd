"""Streaks on a controllable clock: consecutive slots, misses, quiet hours and pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.rules import Rule, rule_for
from bot.engagement.streaks import StreakState, pause, record_activity, resume, standing
from tests.engagement.harness import Harness, read_lesson

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)


def rule(cadence: str = "weekdays 09:30", window: str = "daily 00:00-24:00", tz: str = "") -> Rule:
    return rule_for(
        enrollment_cadence=None,
        learner_cadence=None,
        cohort_cadence=None,
        program_cadence=cadence,
        timezone=tz,
        quiet_hours=window,
        default_window=window,
        started_at=MONDAY,
    )


def at(day: int, hour: int = 12) -> datetime:
    """`day` days after Monday 2 March 2026, at `hour` UTC."""
    return MONDAY + timedelta(days=day, hours=hour)


def test_each_slot_answered_extends_the_streak_once() -> None:
    state, schedule = StreakState(), rule()
    assert record_activity(state, schedule, at(0)).current == 1
    assert record_activity(state, schedule, at(0, 15)).slot is None  # same slot: no change
    assert record_activity(state, schedule, at(1)).current == 2
    assert record_activity(state, schedule, at(2)).current == 3
    assert state.best == 3


def test_the_weekend_has_no_slots_so_friday_to_monday_continues() -> None:
    state, schedule = StreakState(), rule()
    for day in (0, 1, 2, 3, 4):
        record_activity(state, schedule, at(day))
    assert record_activity(state, schedule, at(7)).current == 6


def test_a_missed_slot_restarts_the_streak() -> None:
    state, schedule = StreakState(), rule()
    record_activity(state, schedule, at(0))
    record_activity(state, schedule, at(1))
    assert standing(state, schedule, at(2)) == 2  # Wednesday's slot is still open
    assert standing(state, schedule, at(3)) == 0  # Thursday came before any answer
    counted = record_activity(state, schedule, at(3))
    assert counted.restarted and counted.current == 1
    assert state.best == 2


def test_an_answer_before_the_slot_is_delivered_counts_for_the_previous_one() -> None:
    state, schedule = StreakState(), rule()
    record_activity(state, schedule, at(0))
    assert record_activity(state, schedule, at(1, 8)).slot is None  # before Tuesday 09:30
    assert record_activity(state, schedule, at(1, 10)).current == 2


def test_slots_held_back_by_quiet_hours_arrive_together_and_count_once() -> None:
    """Daily at 07:00 but messages only on weekdays 09:00-18:00: the weekend slots arrive
    with Monday's, so answering on Friday and Monday keeps the streak."""
    state, schedule = StreakState(), rule("daily 07:00", "weekdays 09:00-18:00")
    record_activity(state, schedule, at(4, 10))  # Friday
    counted = record_activity(state, schedule, at(7, 10))  # Monday
    assert counted.current == 2 and not counted.restarted


def test_quiet_hours_in_the_learners_zone() -> None:
    """09:30 in Tokyo is 00:30 UTC; a 10:00-18:00 Tokyo window delivers it at 01:00 UTC."""
    state = StreakState()
    schedule = rule("weekdays 09:30", "weekdays 10:00-18:00", "Asia/Tokyo")
    record_activity(state, schedule, at(0, 2))
    assert record_activity(state, schedule, at(1, 0)).slot is None  # 09:00 Tokyo, held back
    assert record_activity(state, schedule, at(1, 2)).current == 2


def test_slots_inside_a_pause_neither_count_nor_break_the_streak() -> None:
    state, schedule = StreakState(), rule()
    record_activity(state, schedule, at(0))
    record_activity(state, schedule, at(1))
    pause(state, schedule, at(1, 13))
    assert record_activity(state, schedule, at(3)).slot is None  # paused: nothing counts
    resume(state, at(9, 8))  # the next Wednesday, before its slot
    counted = record_activity(state, schedule, at(9))
    assert counted.current == 3 and not counted.restarted


def test_a_pause_does_not_excuse_slots_missed_before_it() -> None:
    state, schedule = StreakState(), rule()
    record_activity(state, schedule, at(0))
    pause(state, schedule, at(2, 13))  # Tuesday's slot was missed before pausing
    assert state.current == 0
    resume(state, at(4, 8))
    assert record_activity(state, schedule, at(4)).restarted


def test_pausing_again_before_any_slot_is_one_long_pause() -> None:
    state, schedule = StreakState(), rule()
    record_activity(state, schedule, at(0))
    pause(state, schedule, at(0, 13))
    resume(state, at(2, 6))
    pause(state, schedule, at(2, 7))  # before Wednesday's 09:30 slot
    resume(state, at(7, 8))
    assert record_activity(state, schedule, at(7)).current == 2


async def test_streak_points_through_the_journey(hs: Harness) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)  # Monday
    hs.clock.advance(days=1)
    await read_lesson(ann)  # Tuesday
    streaks = [e for e in await hs.ledger("ann") if e.kind == "streak"]
    assert [e.points for e in streaks] == [3, 3]
    assert "Streak in Secure coding essentials: 2" in ann.text(await ann.say("points"))


async def test_pause_and_resume_in_chat_keep_the_streak(hs: Harness) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)  # Monday
    await ann.say("pause")
    hs.clock.advance(days=7)
    await ann.say("resume")  # the next Monday, after its slot: Tuesday's is the next
    hs.clock.advance(days=1)
    await read_lesson(ann)
    text = ann.text(await ann.say("points"))
    assert "Streak in Secure coding essentials: 2" in text
