"""Cadence slots and quiet windows in the learner's zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import BadRequest
from bot.delivery.rules import rule_for, zone_of
from bot.delivery.slots import (
    in_window,
    local_instant,
    next_slot,
    on_cadence,
    slots_between,
    window_open,
)
from bot.learning.cadence import DAYS, Cadence, parse_cadence
from bot.learning.window import QuietWindow, parse_window

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Europe/London",
    "America/Santiago",
    "Asia/Kolkata",
    "UTC",
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
]
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

zones = st.sampled_from(ZONES).map(ZoneInfo)
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
)
clock_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
weekly = st.builds(
    lambda at, days: Cadence(at, days=tuple(d for d in DAYS if d in days)),
    clock_times,
    st.sets(st.sampled_from(DAYS), min_size=1),
)
every = st.builds(lambda at, n: Cadence(at, every_days=n), clock_times, st.integers(1, 30))
cadences = st.one_of(weekly, every)
anchors = st.dates(min_value=date(2023, 6, 1), max_value=date(2031, 12, 31))


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=zone)


def _exists(day: date, at: time, zone: ZoneInfo) -> bool:
    aware = _wall(day, at, zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == aware.replace(tzinfo=None)


@settings(max_examples=400, deadline=None)
@given(cadences, zones, moments, anchors)
def test_next_slot_is_the_first_local_slot_after(
    cadence: Cadence, zone: ZoneInfo, after: datetime, anchor: date
) -> None:
    slot = next_slot(cadence, zone, after, anchor)
    local = slot.astimezone(zone)
    assert slot > after
    assert on_cadence(cadence, local.date(), anchor) or not _exists(local.date(), cadence.at, zone)
    day = slot.astimezone(zone).date()
    if _exists(day, cadence.at, zone):
        assert (local.hour, local.minute) == (cadence.at.hour, cadence.at.minute)
    # No slot was skipped: every earlier cadence day's slot is not after `after`.
    first = after.astimezone(zone).date()
    for offset in range((day - first).days):
        earlier = first + timedelta(days=offset)
        if on_cadence(cadence, earlier, anchor):
            instant = local_instant(earlier, cadence.at.hour * 60 + cadence.at.minute, zone)
            assert instant <= after


@settings(max_examples=300, deadline=None)
@given(
    st.sets(st.sampled_from(DAYS), min_size=1),
    st.integers(0, 22 * 60),
    st.integers(60, 24 * 60),
    zones,
    moments,
)
def test_window_open_is_the_earliest_allowed_moment(
    days: set[str], start: int, length: int, zone: ZoneInfo, moment: datetime
) -> None:
    window = QuietWindow(tuple(d for d in DAYS if d in days), start, min(start + length, 1440))
    opened = window_open(moment, window, zone)
    assert opened >= moment
    assert in_window(opened, window, zone)
    if opened > moment:
        assert not in_window(moment, window, zone)
        # Nothing in between is allowed: opened is a window start.
        local_day = opened.astimezone(zone).date()
        assert opened == max(local_instant(local_day, window.start, zone), moment)
        assert not in_window(opened - timedelta(minutes=1), window, zone) or (
            opened - timedelta(minutes=1) < moment
        )


def test_weekdays_0930_stays_0930_across_spring_forward_in_berlin() -> None:
    cadence = parse_cadence("weekdays 09:30")
    friday = datetime(2027, 3, 26, 8, 30, tzinfo=UTC)  # 09:30 CET
    monday = next_slot(cadence, BERLIN, friday, date(2027, 1, 1))
    assert monday == datetime(2027, 3, 29, 7, 30, tzinfo=UTC)  # 09:30 CEST
    assert monday.astimezone(BERLIN).time() == time(9, 30)


def test_daily_slot_across_fall_back_in_new_york() -> None:
    cadence = parse_cadence("daily 09:30")
    saturday = datetime(2027, 11, 6, 13, 30, tzinfo=UTC)  # 09:30 EDT
    sunday = next_slot(cadence, NEW_YORK, saturday, date(2027, 1, 1))
    assert sunday == datetime(2027, 11, 7, 14, 30, tzinfo=UTC)  # 09:30 EST
    assert (sunday - saturday) == timedelta(hours=25)


def test_a_slot_in_the_spring_forward_gap_comes_right_after_it() -> None:
    cadence = parse_cadence("daily 02:30")
    before = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    slot = next_slot(cadence, BERLIN, before, date(2027, 1, 1))
    assert slot.astimezone(BERLIN).replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    again = next_slot(cadence, BERLIN, slot, date(2027, 1, 1))
    assert again.astimezone(BERLIN).replace(tzinfo=None) == datetime(2027, 3, 29, 2, 30)


def test_a_repeated_hour_gets_one_slot() -> None:
    cadence = parse_cadence("daily 02:30")
    before = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)
    first = next_slot(cadence, BERLIN, before, date(2027, 1, 1))
    second = next_slot(cadence, BERLIN, first, date(2027, 1, 1))
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST, first occurrence
    assert second.astimezone(BERLIN).date() == date(2027, 11, 1)


def test_every_n_days_counts_from_the_anchor() -> None:
    cadence = parse_cadence("every 3 days 10:00")
    anchor = date(2027, 3, 1)
    after = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    slot = next_slot(cadence, BERLIN, after, anchor)
    assert slot.astimezone(BERLIN).date() == date(2027, 3, 4)


def test_quiet_window_moves_early_and_weekend_moments() -> None:
    window = parse_window("weekdays 09:00-18:00")
    saturday = datetime(2027, 3, 6, 10, 0, tzinfo=UTC)
    assert window_open(saturday, window, BERLIN) == datetime(2027, 3, 8, 8, 0, tzinfo=UTC)
    early = datetime(2027, 3, 3, 6, 0, tzinfo=UTC)  # 07:00 Berlin
    assert window_open(early, window, BERLIN) == datetime(2027, 3, 3, 8, 0, tzinfo=UTC)
    late = datetime(2027, 3, 3, 17, 30, tzinfo=UTC)  # 18:30 Berlin
    assert window_open(late, window, BERLIN) == datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    inside = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
    assert window_open(inside, window, BERLIN) == inside


def test_counting_missed_slots() -> None:
    cadence = parse_cadence("weekdays 09:30")
    start = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)  # Monday 09:30
    end = datetime(2027, 3, 8, 8, 0, tzinfo=UTC)  # next Monday 09:00
    assert slots_between(cadence, BERLIN, start, end, date(2027, 1, 1)) == 5


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("weekdays 09:00-18:00", "weekdays 09:00-18:00"),
        ("Daily 8:00 - 20:30", "daily 08:00-20:30"),
        ("sat,sun 10:00-12:00", "weekends 10:00-12:00"),
        ("mon wed 07:00-24:00", "mon,wed 07:00-24:00"),
    ],
)
def test_windows_parse_and_print(text: str, shown: str) -> None:
    assert str(parse_window(text)) == shown
    assert parse_window(shown) == parse_window(text)


@pytest.mark.parametrize("text", ["weekdays", "daily 18:00-09:00", "fun 09:00-10:00", "09-17"])
def test_bad_windows_explain_themselves(text: str) -> None:
    with pytest.raises(BadRequest):
        parse_window(text)


def test_rule_precedence_enrollment_learner_cohort_program() -> None:
    started = datetime(2027, 3, 1, tzinfo=UTC)

    def rule(**cadences: str | None) -> tuple[str, str]:
        args: dict[str, str | None] = {
            "enrollment_cadence": None,
            "learner_cadence": None,
            "cohort_cadence": None,
        }
        args.update(cadences)
        found = rule_for(
            **args,
            program_cadence="mon,wed,fri 09:30",
            timezone="Europe/Berlin",
            quiet_hours=None,
            default_window="weekdays 08:00-19:00",
            started_at=started,
        )
        return str(found.cadence), found.source

    assert rule() == ("mon,wed,fri 09:30", "program")
    assert rule(cohort_cadence="daily 10:00") == ("daily 10:00", "cohort")
    assert rule(cohort_cadence="daily 10:00", learner_cadence="weekdays 11:00") == (
        "weekdays 11:00",
        "learner",
    )
    assert rule(learner_cadence="weekdays 11:00", enrollment_cadence="tue 12:00") == (
        "tue 12:00",
        "enrollment",
    )
    assert rule(learner_cadence="nonsense") == ("mon,wed,fri 09:30", "program")
    assert zone_of("Not/AZone").key == "UTC"
