"""A learner's own settings: what is saved, how it is confirmed, and what is refused."""

from __future__ import annotations

import pytest

from bot.core.errors import BadRequest
from bot.learning.settings import apply_settings, parse_settings_text, valid_timezone
from storage.models import Person
from tests.driver import all_text
from tests.learning.desk import Desk


def person(**values: str | None) -> Person:
    return Person(**({"timezone": "", "cadence": None, "quiet_hours": None} | values))


def test_changes_are_applied_and_confirmed_in_words() -> None:
    ann = person()
    done = apply_settings(
        ann,
        {
            "timezone": " Europe/Berlin ",
            "cadence": "Mon, Wed 14:00",
            "quiet_hours": "daily 8:00-20:00",
        },
    )
    assert done == [
        "time zone Europe/Berlin",
        "rhythm mon,wed 14:00",
        "messages only daily 08:00-20:00",
    ]
    assert (ann.timezone, ann.cadence, ann.quiet_hours) == (
        "Europe/Berlin",
        "mon,wed 14:00",
        "daily 08:00-20:00",
    )


def test_what_is_already_set_or_left_blank_changes_nothing() -> None:
    ann = person(timezone="Europe/Berlin", cadence="weekdays 09:30", quiet_hours=None)
    same = {"timezone": "Europe/Berlin", "cadence": "mon,tue,wed,thu,fri 9:30", "quiet_hours": " "}
    assert apply_settings(ann, same) == []
    assert (ann.timezone, ann.cadence, ann.quiet_hours) == ("Europe/Berlin", "weekdays 09:30", None)


def test_an_unknown_time_zone_is_refused_and_quoted_literally() -> None:
    with pytest.raises(BadRequest) as refused:
        valid_timezone("**Mars**/Olympus")
    said = str(refused.value)
    assert "'\\*\\*Mars\\*\\*/Olympus' is not a time zone I know" in said
    assert "Europe/Berlin or America/New_York" in said
    with pytest.raises(BadRequest) as long:
        valid_timezone("Atlantis/" + "x" * 100)
    assert "…' is not a time zone I know" in str(long.value)
    assert valid_timezone("  America/New_York ") == "America/New_York"


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("cadence", "<!channel> sometimes", "'\\<\\!channel\\> sometimes' is not a rhythm"),
        ("quiet_hours", "<!here> 09:00", "'\\<\\!here\\> 09:00' is not a time window"),
    ],
)
def test_a_setting_that_does_not_parse_is_echoed_escaped(field: str, typed: str, said: str) -> None:
    ann = person()
    with pytest.raises(BadRequest) as refused:
        apply_settings(ann, {field: typed})
    assert said in str(refused.value) and "<!" not in str(refused.value)
    assert (ann.cadence, ann.quiet_hours) == (None, None)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("timezone Europe/Paris", {"timezone": "Europe/Paris"}),
        ("TZ Asia/Tokyo", {"timezone": "Asia/Tokyo"}),
        ("zone UTC", {"timezone": "UTC"}),
        ("rhythm every 3 days 10:00", {"cadence": "every 3 days 10:00"}),
        ("cadence mon,wed 14:00", {"cadence": "mon,wed 14:00"}),
        ("hours weekdays 09:00-18:00", {"quiet_hours": "weekdays 09:00-18:00"}),
        ("quiet daily 08:00-20:00", {"quiet_hours": "daily 08:00-20:00"}),
        ("window daily 08:00-20:00", {"quiet_hours": "daily 08:00-20:00"}),
    ],
)
def test_settings_typed_in_chat_name_the_setting_first(typed: str, parsed: dict[str, str]) -> None:
    assert parse_settings_text(typed) == parsed


@pytest.mark.parametrize("typed", ["colour blue", "timezone", "cadence   ", ""])
def test_a_setting_without_a_known_name_or_value_gets_the_usage(typed: str) -> None:
    with pytest.raises(BadRequest, match="Change a setting with `settings timezone Europe/Paris`"):
        parse_settings_text(typed)


async def test_a_form_with_one_bad_field_saves_nothing(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    reply = await ann.say("settings")
    assert "Time zone: **not set (UTC)**" in ann.text(reply)
    refused = await ann.click(
        "Save settings", {"timezone": "Europe/Berlin", "cadence": "whenever I like"}
    )
    assert "'whenever I like' is not a rhythm I understand" in refused.refused
    [stored] = await mini_desk.rows(Person)
    assert (stored.timezone, stored.cadence) == ("", None)  # the good field was not kept either
    saved = await ann.click("Save settings", {"timezone": "Europe/Berlin", "cadence": ""})
    assert "Saved: time zone Europe/Berlin." in ann.text(saved)
    assert "Time zone: **Europe/Berlin**" in all_text(saved.messages[-1])
    again = await ann.say("settings tz Europe/Berlin")
    assert "Nothing changed." in ann.text(again)
