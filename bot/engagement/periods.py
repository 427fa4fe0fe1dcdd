"""Leaderboard boards and windows: which totals an award adds to, and the period keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

WINDOWS = ("week", "month", "all")
ALL = "all"
ORG = "org"


def program_board(program_id: str) -> str:
    return f"p:{program_id}"


def team_board(team_id: int) -> str:
    return f"t:{team_id}"


def boards_for(program_id: str, team_ids: Iterable[int]) -> list[str]:
    """The boards one award counts on: the organisation, its program and the learner's teams."""
    found = [ORG]
    if program_id:
        found.append(program_board(program_id))
    found += [team_board(t) for t in sorted(set(team_ids))]
    return found


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_key(window: str, at: datetime) -> str:
    """`all`, `wYYYY-MM-DD` (the UTC week that starts that Monday) or `mYYYY-MM`."""
    day = at.astimezone(UTC).date()
    if window == "week":
        return f"w{week_start(day).isoformat()}"
    if window == "month":
        return f"m{day:%Y-%m}"
    assert window == ALL, window
    return ALL


def periods_for(at: datetime) -> list[str]:
    """The periods an award at `at` counts in: all time first, then its week and month."""
    return [ALL, period_key("week", at), period_key("month", at)]


def previous_period(window: str, at: datetime) -> str:
    """The period before the one `at` falls in (what a Monday digest looks back on)."""
    day = at.astimezone(UTC).date()
    if window == "week":
        return period_key("week", _midnight(week_start(day) - timedelta(days=7)))
    if window == "month":
        return period_key("month", _midnight(day.replace(day=1) - timedelta(days=1)))
    return ALL


def oldest_kept(at: datetime) -> tuple[str, str]:
    """Week and month keys before these are pruned: only this and the previous are read."""
    return previous_period("week", at), previous_period("month", at)


def next_weekly(at: datetime, weekday: int, clock: time) -> datetime:
    """The first `weekday` (0 = Monday) at `clock` UTC strictly after `at`."""
    day = at.astimezone(UTC).date()
    for offset in range(8):
        candidate = datetime.combine(day + timedelta(days=offset), clock, tzinfo=UTC)
        if candidate.weekday() == weekday and candidate > at:
            return candidate
    raise AssertionError("a week has every weekday")  # pragma: no cover


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def window_label(window: str) -> str:
    return {"week": "this week", "month": "this month", ALL: "all time"}[window]
