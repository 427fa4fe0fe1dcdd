"""When a challenge starts and ends, as the lead wrote it in the form."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.content import Catalog
from bot.core.errors import BadRequest
from bot.engagement.challenge_form import Draft, parse_draft

BERLIN = ZoneInfo("Europe/Berlin")
EARLY = datetime(2026, 12, 3, 6, 30, tzinfo=UTC)  # 07:30 in Berlin, before the 09:00 default


def draft(catalog: Catalog, now: datetime, **changes: str) -> Draft:
    values: dict[str, str | list[str]] = {
        "program": "secure-coding",
        "goal": "Ship safer code",
        "start": "today",
        "end": "tomorrow",
        "scoring": "completions",
        "channel": "slack:T1:C1",
        **changes,
    }
    return parse_draft(values, catalog=catalog, channels=["slack:T1:C1"], zone=BERLIN, now=now)


def test_a_challenge_starting_today_counts_from_the_moment_it_is_posted(catalog: Catalog) -> None:
    found = draft(catalog, EARLY)
    assert found.starts_at == EARLY  # not 09:00: learning done at 08:00 counts
    assert found.ends_at == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # 18:00 tomorrow, Berlin


def test_an_explicit_time_today_is_kept(catalog: Catalog) -> None:
    found = draft(catalog, EARLY, start="2026-12-03 14:00")
    assert found.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


def test_a_later_day_starts_at_nine_local(catalog: Catalog) -> None:
    found = draft(catalog, EARLY, start="2026-12-05", end="2026-12-06")
    assert found.starts_at == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def test_a_start_in_the_past_is_refused(catalog: Catalog) -> None:
    with pytest.raises(BadRequest, match="is in the past"):
        draft(catalog, EARLY, start="2026-12-01")
