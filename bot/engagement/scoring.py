"""Challenge scores: what counts, capped per day, divided by the slots each member had.

A member's score counts only what they did after joining, within the challenge, in its
program (and skill). Each day counts at most the challenge's daily cap, so a binge cannot
buy the win; the sum is divided by the lesson slots the member's own cadence offered
between joining and now (or the end), so joining late or learning on a lighter rhythm is
no handicap. Time to answer never counts: mastery is how well, not how fast.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog, Program
from bot.content.schema import DEFAULT_CADENCE
from bot.delivery.facts import to_facts
from bot.delivery.rules import Rule, rule_for
from bot.learning.window import DEFAULT_WINDOW
from storage.models import Challenge
from storage.queries import engagement as q
from storage.queries.enrollment_facts import program_facts_rows
from storage.queries.people import schedule_settings

MASTERY_KINDS = ("first_try", "rubric")
COMPLETION_KINDS = ("lesson", "quiz")


@dataclass(frozen=True)
class Standing:
    person_id: int
    raw: float
    slots: int
    rank: int = 0

    @property
    def score(self) -> float:
        return self.raw / max(self.slots, 1)


def item_skills(program: Program, item: str) -> set[str]:
    """The skills behind a ledger item: a lesson, a quiz or one question."""
    kind, _, ident = item.partition(":")
    if kind == "lesson" and ident in program.lessons:
        return set(program.lessons[ident].meta.skills)
    if kind == "quiz" and ident in program.quizzes:
        return {s for question in program.quizzes[ident].questions for s in question.skills}
    quiz_id, _, question_id = item.partition("/")
    question = program.question(quiz_id, question_id) if question_id else None
    return set(question.skills) if question is not None else set()


def value_of(entry: q.EntryRow, scoring: str) -> float:
    if scoring == "completions":
        return 1.0 if entry.kind in COMPLETION_KINDS else 0.0
    if scoring == "mastery":
        return entry.quality if entry.kind in MASTERY_KINDS else 0.0
    return float(entry.points)


def capped_total(entries: list[q.EntryRow], scoring: str, cap: int) -> float:
    """The sum of each day's value, no day above `cap` (0: no cap)."""
    per_day: dict[date, float] = defaultdict(float)
    for entry in entries:
        per_day[entry.day] += value_of(entry, scoring)
    return sum(min(v, cap) if cap else v for v in per_day.values())


def ranked(found: list[Standing]) -> list[Standing]:
    """Best score first; equal scores share a rank ("1, 2, 2, 4")."""
    ordered = sorted(found, key=lambda s: (-round(s.score, 6), s.person_id))
    out: list[Standing] = []
    for index, one in enumerate(ordered):
        same = out and round(out[-1].score, 6) == round(one.score, 6)
        rank = out[-1].rank if same else index + 1
        out.append(Standing(one.person_id, one.raw, one.slots, rank))
    return out


async def _rules(
    session: AsyncSession, catalog: Catalog, challenge: Challenge, people: list[int]
) -> dict[int, Rule]:
    """Each member's lesson rhythm for the program (the program's own when not enrolled)."""
    found: dict[int, Rule] = {}
    rows = await program_facts_rows(session, program_id=challenge.program_id, person_ids=people)
    for row in rows:
        facts = to_facts(row)
        found[facts.person_id] = facts.rule(catalog, DEFAULT_WINDOW)
    program = catalog.get(challenge.program_id)
    missing = [p for p in people if p not in found]
    if missing:
        others = await schedule_settings(session, person_ids=missing)
        for pid, cadence, zone, quiet in others:
            found[pid] = rule_for(
                enrollment_cadence=None,
                learner_cadence=cadence,
                cohort_cadence=None,
                program_cadence=program.meta.cadence if program else DEFAULT_CADENCE,
                timezone=zone or "",
                quiet_hours=quiet,
                default_window=DEFAULT_WINDOW,
                started_at=challenge.starts_at,
            )
    return found


async def standings(
    session: AsyncSession, catalog: Catalog, challenge: Challenge, now: datetime
) -> list[Standing]:
    """Every member's normalised score, ranked."""
    joined = await q.members(session, challenge_id=challenge.id)
    if not joined:
        return []
    until = min(now, challenge.ends_at)
    entries = await q.entries_of(
        session,
        person_ids=list(joined),
        since=challenge.starts_at,
        until=until,
        program_id=challenge.program_id,
    )
    program = catalog.get(challenge.program_id)
    if challenge.skill and program is not None:
        entries = [e for e in entries if challenge.skill in item_skills(program, e.item)]
    rules = await _rules(session, catalog, challenge, list(joined))
    found = []
    for person_id, joined_at in joined.items():
        since = max(joined_at, challenge.starts_at)
        mine = [e for e in entries if e.person_id == person_id and e.earned_at >= since]
        raw = capped_total(mine, challenge.scoring, challenge.daily_cap)
        slots = rules[person_id].missed(since, until) if until > since else 0
        found.append(Standing(person_id, raw, max(slots, 1)))
    return ranked(found)
