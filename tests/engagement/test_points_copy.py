"""`points` counts in whole words: no "slot(s)", one slot or several, numbers per locale."""

from __future__ import annotations

from bot.core.copy import speaking
from bot.engagement.board_views import points_message
from bot.engagement.levels import level_for
from bot.engagement.rules import PointsRules
from tests.driver import all_text


def test_a_streak_of_one_and_of_several_read_as_words() -> None:
    one = all_text(points_message(40, level_for(40), (1, 4, "Secure Coding"), PointsRules()))
    three = all_text(points_message(40, level_for(40), (3, 4, "Secure Coding"), PointsRules()))
    assert "1 slot in a row (best 4)" in one and "3 slots in a row (best 4)" in three
    assert "(s)" not in one + three


def test_points_are_written_the_way_the_locale_writes_numbers() -> None:
    english = all_text(points_message(1250, level_for(1250), None, PointsRules()))
    with speaking("de"):
        german = all_text(points_message(1250, level_for(1250), None, PointsRules()))
    assert "**1,250 points**" in english and "**1.250 Punkte**" in german
