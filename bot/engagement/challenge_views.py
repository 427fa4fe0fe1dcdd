"""Challenge messages: the lead's preview, the channel announcement, progress and results."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.text import escape_markdown
from bot.core.views import Button, Buttons, Context, Header, Message, Text, message
from bot.engagement.actions import EDIT, JOIN, POST, RANK, ChallengeRef
from bot.engagement.boards import shown_count
from storage.models import ChallengeStatus

HOW = {
    "mastery": "how well you answer (first tries and rubric scores), not how fast",
    "completions": "lessons and quizzes finished",
    "points": "points earned",
}
UNIT = {"mastery": "mastery", "completions": "steps", "points": "points"}


@dataclass(frozen=True)
class Facts:
    """What every challenge message shows, as plain data."""

    id: int
    goal: str
    lead: str
    target: str
    """The program title, with the skill when there is one."""
    scoring: str
    daily_cap: int
    starts_at: datetime
    ends_at: datetime
    prize: str
    status: str
    members: int


@dataclass(frozen=True)
class Line:
    rank: int
    name: str
    score: float


def when(moment: datetime) -> str:
    """A date everyone reads the same way, whatever their time zone."""
    return moment.astimezone(UTC).strftime("%a %d %b %Y, %H:%M UTC")


def days_left(facts: Facts, now: datetime) -> str:
    if facts.status in (ChallengeStatus.ENDED, ChallengeStatus.CANCELLED):
        return "ended" if facts.status == ChallengeStatus.ENDED else "cancelled"
    if now < facts.starts_at:
        days = math.ceil((facts.starts_at - now).total_seconds() / 86400)
        return f"starts in {days} day{'s' if days != 1 else ''}"
    days = max(0, math.ceil((facts.ends_at - now).total_seconds() / 86400))
    return f"{days} day{'s' if days != 1 else ''} left"


def how_counted(facts: Facts) -> str:
    cap = f", at most {facts.daily_cap} a day" if facts.daily_cap else ""
    return (
        f"Counts {HOW[facts.scoring]} in {facts.target}{cap}, from when you join, divided by "
        "the lesson slots you had since, so joining late is fair."
    )


def announcement(facts: Facts, now: datetime, *, preview: bool = False) -> Message:
    """The channel post (and the lead's preview of it); the parent that later edits update."""
    blocks: list[Header | Text | Context | Buttons] = [
        Header(f"Challenge: {facts.goal}"[:150]),
        Text(
            f"Challenge from {escape_markdown(facts.lead)}: {escape_markdown(facts.goal)}\n\n"
            f"**When:** {when(facts.starts_at)} to {when(facts.ends_at)}\n\n"
            f"**How it counts:** {how_counted(facts)}"
        ),
    ]
    if facts.prize:
        blocks.append(Text(f"**Prize:** {escape_markdown(facts.prize)}"))
    taking = f"{facts.members} taking part" if facts.members else "Nobody has joined yet"
    blocks.append(Context(f"{taking} · {days_left(facts, now)}"))
    if facts.status not in (ChallengeStatus.ENDED, ChallengeStatus.CANCELLED) and not preview:
        blocks.append(Buttons((Button("Join", JOIN(ChallengeRef(challenge=facts.id)), "primary"),)))
    return message(
        *blocks,
        fallback=f"Challenge from {facts.lead}: {facts.goal} ({days_left(facts, now)})",
        key=f"challenge:{facts.id}",
    )


def preview(facts: Facts, now: datetime, channel: str) -> Message:
    """Private to the lead: the post as it will look, then Post or Edit."""
    post = announcement(facts, now, preview=True)
    extra = (
        Context(f"Preview: nothing is posted yet. It will go to {channel}, with a Join button."),
        Buttons(
            (
                Button("Post", POST(ChallengeRef(challenge=facts.id)), "primary"),
                Button("Edit", EDIT(ChallengeRef(challenge=facts.id))),
            )
        ),
    )
    return Message(post.blocks + extra, f"Preview of your challenge: {facts.goal}", post.key)


def retired_preview(facts: Facts, now: datetime, note: str) -> Message:
    post = announcement(facts, now, preview=True)
    return Message((*post.blocks, Context(note)), post.fallback, post.key)


def _lines(lines: list[Line], scoring: str) -> str:
    unit = UNIT[scoring]
    return "\n".join(
        f"{line.rank}. {escape_markdown(line.name)} · {line.score:.2f} {unit} per slot"
        for line in lines
    )


def _top(lines: list[Line], limit: int, *, winners: bool = False) -> list[Line]:
    """The top few, never the bottom half; with `winners`, everyone ranked first too."""
    scoring = [line for line in lines if line.score > 0]
    count = shown_count(len(lines), limit)
    if winners:
        count = max(count, sum(1 for line in scoring if line.rank == 1))
    return scoring[:count]


def progress(facts: Facts, lines: list[Line], now: datetime, *, reminder: bool = False) -> Message:
    heading = "One day to go" if reminder else "Challenge progress"
    shown = _top(lines, 5)
    body = _lines(shown, facts.scoring) if shown else "No scores yet: every lesson counts."
    return message(
        Header(f"{heading}: {facts.goal}"[:150]),
        Text(body),
        Context(f"{facts.members} taking part · {days_left(facts, now)} · {how_counted(facts)}"),
        Buttons(
            (
                Button("Where am I?", RANK(ChallengeRef(challenge=facts.id))),
                Button("Join", JOIN(ChallengeRef(challenge=facts.id))),
            )
        ),
        fallback=f"{heading}: {facts.goal} ({days_left(facts, now)})",
    )


def results(facts: Facts, lines: list[Line]) -> Message:
    shown = _top(lines, 3, winners=True)
    winners = [line for line in shown if line.rank == 1]
    if winners:
        names = " and ".join(escape_markdown(w.name) for w in winners)
        prize = f" and wins {escape_markdown(facts.prize)}" if facts.prize else ""
        head = f"🏆 {names} tops the challenge{prize}."
    else:
        head = "Nobody scored this time. Thank you to everyone who took part."
    body = head + ("\n\n" + _lines(shown, facts.scoring) if shown else "")
    return message(
        Header(f"Challenge results: {facts.goal}"[:150]),
        Text(body),
        Context(
            f"{facts.members} took part · challenge from {escape_markdown(facts.lead)} · "
            "scores are per lesson slot, capped per day"
        ),
        Buttons((Button("Where am I?", RANK(ChallengeRef(challenge=facts.id))),)),
        fallback=f"Challenge results: {facts.goal}",
    )


def cancelled(facts: Facts) -> Message:
    return message(
        Header(f"Challenge: {facts.goal}"[:150]),
        Text(f"This challenge from {escape_markdown(facts.lead)} was cancelled."),
        fallback=f"Challenge cancelled: {facts.goal}",
        key=f"challenge:{facts.id}",
    )


def my_score(facts: Facts, line: Line | None, joined: bool, now: datetime) -> str:
    if not joined:
        return f"You have not joined “{facts.goal}”. Press Join to take part."
    if line is None or line.score <= 0:
        return f"You are in “{facts.goal}” with no score yet ({days_left(facts, now)})."
    unit = UNIT[facts.scoring]
    return (
        f"You are #{line.rank} in “{facts.goal}” with {line.score:.2f} {unit} per slot "
        f"({days_left(facts, now)})."
    )
