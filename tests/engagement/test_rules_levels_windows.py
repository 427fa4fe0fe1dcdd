"""The points table, levels and leaderboard windows, as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.errors import BadRequest
from bot.engagement.levels import LEVELS, level_for, level_up_message, next_level, reached
from bot.engagement.periods import (
    boards_for,
    next_weekly,
    oldest_kept,
    period_key,
    periods_for,
    previous_period,
)
from bot.engagement.rules import PointsRules, scaled
from tests.driver import all_text


def test_the_rules_table_is_documented_and_configurable() -> None:
    rules = PointsRules.parse("lesson=12, quiz=30")
    assert (rules.lesson, rules.quiz, rules.first_try) == (12, 30, 5)
    rows = {r.key: r for r in PointsRules().table()}
    assert set(rows) == {"lesson", "first_try", "quiz", "rubric", "streak", "review", "badge"}
    assert all(r.earned_for for r in rows.values())
    assert PointsRules().daily_cap("mastery") == 10


@pytest.mark.parametrize(
    ("text", "problem"),
    [("lessons=3", "not a points rule"), ("quiz=lots", "whole number"), ("badge=-5", "negative")],
)
def test_bad_rules_are_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(BadRequest, match=problem):
        PointsRules.parse(text)


def test_scores_scale_points_within_bounds() -> None:
    assert [scaled(20, f) for f in (0, 0.74, 0.75, 1, 1.5, -1)] == [0, 15, 15, 20, 20, 0]


def test_levels_have_names_thresholds_and_a_message() -> None:
    assert [lv.threshold for lv in LEVELS] == sorted(lv.threshold for lv in LEVELS)
    assert level_for(0).name == "Newcomer" and level_for(299).name == "Explorer"
    assert level_for(10**6).name == "Master" and next_level(10**6) is None
    assert reached(95, 105) == LEVELS[1] and reached(105, 110) is None
    text = all_text(level_up_message(LEVELS[2], 320))
    assert "Practitioner" in text and "380 more points to reach *Specialist*" in text


def test_windows_are_utc_weeks_from_monday_and_calendar_months() -> None:
    sunday_night = datetime(2026, 3, 8, 23, 59, tzinfo=UTC)
    monday = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    assert period_key("week", sunday_night) == "w2026-03-02"
    assert period_key("week", monday) == "w2026-03-09"
    assert periods_for(monday) == ["all", "w2026-03-09", "m2026-03"]
    assert previous_period("week", monday) == "w2026-03-02"
    assert previous_period("month", datetime(2026, 1, 15, tzinfo=UTC)) == "m2025-12"
    assert oldest_kept(monday) == ("w2026-03-02", "m2026-02")


def test_a_week_spanning_new_year_keys_by_its_monday() -> None:
    assert period_key("week", datetime(2027, 1, 1, tzinfo=UTC)) == "w2026-12-28"
    assert period_key("month", datetime(2027, 1, 1, tzinfo=UTC)) == "m2027-01"


def test_the_next_weekly_digest_time_is_strictly_later() -> None:
    monday_nine = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert next_weekly(monday_nine, 0, time(9)) == datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    assert next_weekly(datetime(2026, 3, 9, 8, 0, tzinfo=UTC), 0, time(9)) == monday_nine


def test_an_award_counts_on_the_org_its_program_and_each_team() -> None:
    assert boards_for("secure-coding", [7, 3, 7]) == ["org", "p:secure-coding", "t:3", "t:7"]
    assert boards_for("", []) == ["org"]
