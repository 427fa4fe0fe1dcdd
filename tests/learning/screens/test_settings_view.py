"""The settings form: what is set now, filled in, and the quiet hours once they matter."""

from __future__ import annotations

from bot.core.views import Form, TextField
from bot.learning.screens import settings_message
from tests.driver import all_text, buttons


def fields(timezone: str, cadence: str, quiet_hours: str = "") -> dict[str, str]:
    shown = settings_message(timezone, cadence, False, quiet_hours)
    [form] = [b for b in shown.blocks if isinstance(b, Form)]
    return {f.name: f.initial for f in form.fields if isinstance(f, TextField)}


def test_the_form_shows_the_current_settings_filled_in() -> None:
    shown = settings_message("Europe/Berlin", "mon,wed 14:00", False, "weekdays 09:00-18:00")
    text = all_text(shown)
    assert "Time zone: **Europe/Berlin** · rhythm: **mon,wed 14:00**" in text
    assert "scheduled lessons: **on** · messages only **weekdays 09:00-18:00**" in text
    assert [b.label for b in buttons(shown)] == ["Save settings"]
    assert fields("Europe/Berlin", "mon,wed 14:00", "weekdays 09:00-18:00") == {
        "timezone": "Europe/Berlin",
        "cadence": "mon,wed 14:00",
        "quiet_hours": "weekdays 09:00-18:00",
    }


def test_an_unset_time_zone_reads_as_utc_and_a_pause_is_shown() -> None:
    text = all_text(settings_message("", "weekdays 09:30", True))
    assert "Time zone: **not set (UTC)**" in text and "scheduled lessons: **paused**" in text
    assert "messages only" not in text
    assert fields("", "weekdays 09:30") == {"timezone": "", "cadence": "weekdays 09:30"}
