"""The challenge form (a Slack modal, a Teams card) and checking what a lead submitted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core.errors import BadRequest
from bot.core.text import escape_markdown, shorten
from bot.core.views import Button, ChoiceField, Form, Option, TextField
from bot.engagement.actions import PREVIEW, DraftArgs

MAX_DAYS = 92
START_AT, END_AT = time(9, 0), time(18, 0)
"""A start or end given as a date begins at 09:00 and ends at 18:00, the lead's local time;
a start given as today, without a time, begins at once."""
ANY_SKILL = "any"
SCORING_LABELS = {
    "mastery": "Mastery: how well answers and quizzes go",
    "completions": "Completions: lessons and quizzes finished",
    "points": "Points earned",
}
PROGRESS_LABELS = {"weekly": "Weekly", "daily": "Daily", "none": "Only start and results"}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$")


@dataclass(frozen=True)
class Draft:
    program_id: str
    skill: str
    goal: str
    starts_at: datetime
    ends_at: datetime
    scoring: str
    progress: str
    channel: str
    prize: str


def channel_label(channel: str) -> str:
    """A channel address as people recognise it (`slack:T1:C9` → `#C9`)."""
    parts = channel.split(":")
    if parts[0] == "slack" and len(parts) == 3:
        return f"Slack channel {parts[2]}"
    if parts[0] == "teams" and len(parts) >= 3:
        return f"Teams channel {shorten(':'.join(parts[2:]), 40)}"
    return channel


def challenge_form(
    catalog: Catalog,
    channels: list[str],
    *,
    initial: dict[str, str],
    draft_id: int | None = None,
    here: str = "",
) -> Form:
    """The form a lead fills in; `initial` holds the last values (an edited draft)."""
    programs = tuple(Option(p.id, shorten(p.title, 70)) for p in catalog)[:10]
    channel_options = tuple(Option(c, channel_label(c)) for c in channels)[:10]

    def choice(name: str, label: str, options: tuple[Option, ...]) -> ChoiceField:
        value = initial.get(name) or (options[0].value if options else "")
        return ChoiceField(name, label, options, initial=(value,) if value else ())

    fields = (
        choice("program", "Program", programs),
        TextField(
            "skill", "Skill (or “any”)", max_length=64, initial=initial.get("skill", ANY_SKILL)
        ),
        TextField(
            "goal",
            "Goal",
            min_length=3,
            max_length=150,
            initial=initial.get("goal", ""),
            placeholder="e.g. Finish the secure-coding quizzes",
        ),
        TextField("start", "Starts (YYYY-MM-DD)", max_length=16, initial=initial.get("start", "")),
        TextField("end", "Ends (YYYY-MM-DD)", max_length=16, initial=initial.get("end", "")),
        choice("scoring", "How progress counts", _options(SCORING_LABELS)),
        choice("progress", "Progress posts", _options(PROGRESS_LABELS)),
        choice("channel", "Post in", channel_options),
        TextField(
            "prize", "Prize", max_length=200, initial=initial.get("prize", "Bragging rights")
        ),
    )
    submit = Button("Preview", PREVIEW(DraftArgs(here=here, challenge=draft_id)), "primary")
    intro = "You will see a private preview before anything is posted."
    return Form("New challenge", fields, submit, intro)


def _options(labels: dict[str, str]) -> tuple[Option, ...]:
    return tuple(Option(k, v) for k, v in labels.items())


def one(values: dict[str, str | list[str]], name: str) -> str:
    value = values.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip()


def parse_when(text: str, today: date) -> tuple[date, time | None]:
    """`2025-07-01`, `2025-07-01 14:00`, `today` or `tomorrow`: the day and the time, if given."""
    words = text.strip().lower()
    if words in ("today", "tomorrow"):
        return today + timedelta(days=words == "tomorrow"), None
    found = _DATE.match(words)
    if found is None:
        raise ValueError(text)
    year, month, day_no, hour, minute = found.groups()
    clock = time(int(hour), int(minute)) if hour is not None else None
    return date(int(year), int(month), int(day_no)), clock


def parse_draft(
    values: dict[str, str | list[str]],
    *,
    catalog: Catalog,
    channels: list[str],
    zone: ZoneInfo,
    now: datetime,
) -> Draft:
    """The submitted form as a draft; every problem at once, in one clear BadRequest."""
    problems: list[str] = []
    program = catalog.get(one(values, "program"))
    if program is None:
        known = ", ".join(f"`{p.id}`" for p in catalog)
        problems.append(
            f"I have no program called “{escape_markdown(shorten(one(values, 'program'), 60))}”"
            f" (there are: {known})."
        )
    skill = one(values, "skill").lower()
    if skill in ("", "-", "none", ANY_SKILL):
        skill = ""
    elif program is not None and skill not in {s.id for s in program.meta.skills}:
        known = ", ".join(f"`{s.id}`" for s in program.meta.skills) or "none"
        problems.append(
            f"{program.title} has no skill “{escape_markdown(shorten(skill, 40))}” "
            f"(its skills: {known}; or write `any`)."
        )
    goal = " ".join(one(values, "goal").split())
    if len(goal) < 3:
        problems.append("Write a goal of a few words, e.g. “Finish the secure-coding quizzes”.")
    today = now.astimezone(zone).date()
    starts_at = ends_at = None
    for name, default in (("start", START_AT), ("end", END_AT)):
        text = one(values, name)
        try:
            day, clock = parse_when(text, today)
        except ValueError:
            word = "start" if name == "start" else "end"
            problems.append(
                f"The {word} “{escape_markdown(shorten(text, 20))}” is not a date: write it like "
                f"{today + timedelta(days=1):%Y-%m-%d} (optionally with a time, 14:00)."
            )
            continue
        moment = datetime.combine(day, clock or default, tzinfo=zone).astimezone(UTC)
        if name == "start":
            starts_at = (now if clock is None else max(moment, now)) if day == today else moment
        else:
            ends_at = moment
    if starts_at is not None and starts_at < now - timedelta(minutes=5):
        problems.append(
            f"The start, {starts_at.astimezone(zone):%Y-%m-%d}, is in the past: choose today "
            "or a later day."
        )
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at + timedelta(hours=1):
            problems.append(
                f"The challenge would end ({ends_at.astimezone(zone):%Y-%m-%d %H:%M}) before it "
                f"starts ({starts_at.astimezone(zone):%Y-%m-%d %H:%M}): choose a later end."
            )
        elif ends_at - starts_at > timedelta(days=MAX_DAYS):
            days = (ends_at - starts_at).days
            problems.append(f"A challenge can last up to {MAX_DAYS} days; this one lasts {days}.")
    scoring = one(values, "scoring") or "mastery"
    if scoring not in SCORING_LABELS:
        problems.append("Choose how progress counts: mastery, completions or points.")
    progress = one(values, "progress") or "weekly"
    if progress not in PROGRESS_LABELS:
        problems.append("Choose how often progress is posted: weekly, daily or only at the end.")
    channel = one(values, "channel")
    if not channel:
        problems.append("Choose the channel to post the challenge in.")
    elif channel not in channels:
        problems.append(
            "I cannot post in that channel: pick one of the listed channels, or run "
            "`/learn challenge` in the channel you want."
        )
    if problems:
        raise BadRequest("Please fix the challenge:\n\n" + "\n".join(f"- {p}" for p in problems))
    assert program is not None and starts_at is not None and ends_at is not None
    prize = " ".join(one(values, "prize").split())[:200]
    return Draft(program.id, skill, goal, starts_at, ends_at, scoring, progress, channel, prize)
