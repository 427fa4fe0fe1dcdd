"""Quiet hours: the forms a learner may type, how they read back, and what is refused."""

from __future__ import annotations

import pytest

from bot.core.errors import BadRequest
from bot.learning.window import DEFAULT_WINDOW, parse_window


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("weekdays 09:00-18:00", "weekdays 09:00-18:00"),
        ("Daily 8:00 – 20:00", "daily 08:00-20:00"),
        ("everyday 08:00-20:00", "daily 08:00-20:00"),
        ("sat, sun 10:00 - 12:00", "weekends 10:00-12:00"),
        ("fri,mon,wed 10:00-16:00", "mon,wed,fri 10:00-16:00"),
        ("Monday Tuesday 09:00-17:00", "mon,tue 09:00-17:00"),
        ("mon,tue,wed,thu,fri 07:30-24:00", "weekdays 07:30-24:00"),
    ],
)
def test_a_window_reads_back_in_one_canonical_form(typed: str, shown: str) -> None:
    assert str(parse_window(typed)) == shown


def test_the_window_tells_which_days_messages_may_arrive() -> None:
    weekdays = parse_window(DEFAULT_WINDOW)
    assert [weekdays.allows_day(n) for n in range(7)] == [True] * 5 + [False] * 2
    assert not weekdays.weekends
    assert parse_window("mon,sun 09:00-18:00").weekends
    assert (weekdays.start, weekdays.end) == (9 * 60, 18 * 60)


@pytest.mark.parametrize(
    "typed",
    ["whenever", "09:00-18:00", "weekdays", "funday 09:00-18:00", "daily 25:00-26:00", "daily 9-5"],
)
def test_what_is_not_a_window_is_refused_with_examples(typed: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_window(typed)
    assert f"'{typed}' is not a time window I understand" in str(refused.value)
    assert "`weekdays 09:00-18:00`" in str(refused.value)


@pytest.mark.parametrize("typed", ["daily 09:00-09:30", "daily 20:00-19:00"])
def test_a_window_shorter_than_an_hour_is_refused(typed: str) -> None:
    with pytest.raises(BadRequest, match="at least an hour long and end by 24:00"):
        parse_window(typed)
