"""The offline rubric scorer: a level per criterion from evidence, points, and what was missing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot.assessment.evidence import AnswerEvidence, CriterionEvidence, gather
from bot.assessment.score import Score
from bot.content.schema import Criterion, FreeText, Level, Portfolio, Rubric

SCORER = "offline"


@dataclass(frozen=True)
class Tuning:
    """The offline scorer's knobs; `microcred score eval --train` can fit them."""

    concept_share: float = 0.5
    """Share of a criterion's key concepts that counts as full coverage."""
    met: float = 0.55
    """Evidence needed for a criterion's top level."""
    floor: float = 0.2
    """Evidence below which a criterion gets its lowest level."""
    min_words: int = 2
    """Fewer content words than this scores the lowest level everywhere."""


def coverage(ev: CriterionEvidence, tuning: Tuning) -> float:
    total = len(ev.found) + len(ev.missing)
    if not total:
        return 0.0
    return min(1.0, len(ev.found) / max(1, math.ceil(total * tuning.concept_share)))


def strength(criterion: Criterion, ev: CriterionEvidence, tuning: Tuning, refs: bool) -> float:
    """How strongly the answer meets the criterion, from 0 to 1."""
    concepts = coverage(ev, tuning)
    similar = ev.similarity if refs else 0.0
    return 1 - (1 - concepts) * (1 - similar)  # either kind of evidence can carry it


def level_for(criterion: Criterion, value: float, ev: CriterionEvidence, tuning: Tuning) -> Level:
    levels = criterion.levels
    if value >= tuning.met:
        index = len(levels) - 1
    elif value < tuning.floor:
        index = 0
    else:
        middle = len(levels) - 2
        index = 1 + min(
            middle - 1, int((value - tuning.floor) / (tuning.met - tuning.floor) * middle)
        )
    if ev.terms_total:
        if ev.terms_found == 0:
            index = 0
        elif ev.terms_found < ev.terms_total:
            index = min(index, len(levels) - 2)
    return levels[max(0, index)]


def _quoted(items: Sequence[str], limit: int = 3) -> str:
    return ", ".join(f"“{item.split('|')[0].strip()}”" for item in items[:limit])


def criterion_line(criterion: Criterion, level: Level, ev: CriterionEvidence | None) -> str:
    """One line of feedback: the level, what works, then what is missing."""
    top = level.id == criterion.levels[-1].id
    mark = "✅" if top else ("🟡" if level.points > criterion.levels[0].points else "❌")
    line = f"{mark} **{criterion.title}**: {level.label}."
    if ev is None:
        return line
    if ev.found:
        line += f" You cover {_quoted(ev.found)}."
    if not top:
        gaps = [*ev.missing_terms, *ev.missing]
        if gaps:
            line += f" Not yet covered: {_quoted(gaps)}."
        elif criterion.description:
            line += f" Look again at: {criterion.description.strip().split('. ')[0].rstrip('.')}."
    return line


def judge(
    rubric: Rubric, evidence: AnswerEvidence, tuning: Tuning, *, has_references: bool
) -> tuple[dict[str, Level], dict[str, float]]:
    """The level of each criterion and the strength behind it."""
    levels: dict[str, Level] = {}
    strengths: dict[str, float] = {}
    for criterion, ev in zip(rubric.criteria, evidence.criteria, strict=True):
        value = strength(criterion, ev, tuning, has_references)
        if evidence.words < tuning.min_words or not evidence.on_topic:
            value = 0.0
        strengths[criterion.id] = round(value, 4)
        levels[criterion.id] = level_for(criterion, value, ev, tuning)
    return levels, strengths


def rubric_score(
    rubric: Rubric,
    levels: dict[str, Level],
    lines: Sequence[str],
    scorer: str,
    details: dict[str, Any],
) -> Score:
    points = round(sum(level.points for level in levels.values()), 4)
    return Score(
        points,
        rubric.max_points,
        "scored",
        points + 1e-9 >= rubric.pass_mark,
        tuple(lines),
        scorer,
        {cid: level.id for cid, level in levels.items()},
        details,
    )


def scoreable(question: FreeText | Portfolio) -> bool:
    """Whether the rubric gives the offline scorer evidence to look for in every criterion."""
    if getattr(question, "reference_answers", None):
        return True
    return all(c.key_concepts or c.required_terms for c in question.rubric.criteria)


class OfflineRubricScorer:
    """Deterministic: the same answer to the same rubric always gets the same score."""

    def __init__(self, tuning: Tuning | None = None) -> None:
        self.tuning = tuning or Tuning()

    def score(self, question: FreeText | Portfolio, answer: str) -> Score:
        rubric = question.rubric
        references = getattr(question, "reference_answers", [])
        evidence = gather(question.prompt, rubric.criteria, references, answer)
        levels, strengths = judge(rubric, evidence, self.tuning, has_references=bool(references))
        lines = [
            criterion_line(c, levels[c.id], ev)
            for c, ev in zip(rubric.criteria, evidence.criteria, strict=True)
        ]
        if evidence.words < self.tuning.min_words:
            lines.insert(0, "Your answer is too short to show the points the rubric looks for.")
        elif not evidence.on_topic:
            lines.insert(0, "Your answer does not seem to address this question.")
        details = {"strength": strengths, "tuning": asdict(self.tuning)}
        return rubric_score(rubric, levels, lines, SCORER, details)
