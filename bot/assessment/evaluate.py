"""Measure our scorers against human grades: rubric per row by a fixed rule, then metrics."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.assessment import metrics
from bot.assessment.evidence import AnswerEvidence, Vocabulary, gather
from bot.assessment.llm import LlmRubricScorer
from bot.assessment.offline import Tuning, judge
from bot.assessment.text import content_stems, stem, words
from bot.content.schema import Criterion, FreeText, Level, Rubric

LEVELS = [
    Level(id="not-yet", label="Not yet", points=0),
    Level(id="partly", label="Partly", points=1),
    Level(id="met", label="Met", points=2),
]
MAX_CONCEPTS = 12


@dataclass(frozen=True)
class Row:
    question: str
    references: tuple[str, ...]
    answer: str
    gold: int
    scale: str


def read_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            refs = [r["text"] for r in data.get("reference_answers") or [] if r.get("text")]
            rows.append(
                Row(
                    data["question"],
                    tuple(refs or [data["reference_answer"]]),
                    data["student_answer"],
                    int(data["score"]),
                    str(data.get("score_scale", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a dataset row ({exc})") from None
    return rows


def top_label(rows: Sequence[Row]) -> int:
    """The highest grade of the scale: 1 for binary data, else from `0-5` or the data."""
    declared = [
        int(m.group(1)) for r in rows[:50] if (m := re.search(r"\d+\s*[-–]\s*(\d+)", r.scale))
    ]
    if all(r.scale.lower().startswith("binary") for r in rows[:50]):
        return 1
    return max([*declared, *(r.gold for r in rows), 1])


def question_for(row: Row) -> FreeText:
    """The fixed rule: one criterion whose key concepts are the reference's words not in the
    question; levels not yet / partly / met; passing needs `met` (the 0/1 scale's 1)."""
    given = set(content_stems(row.question))
    concepts: list[str] = []
    for word in words(" ".join(row.references)):
        if stem(word) not in given and word not in concepts and content_stems(word):
            concepts.append(word)
    criterion = Criterion(
        id="answer",
        title="Matches the reference answer",
        key_concepts=concepts[:MAX_CONCEPTS],
        levels=LEVELS,
    )
    return FreeText(
        id="q",
        type="free_text",
        prompt=row.question,
        rubric=Rubric(pass_mark=2, criteria=[criterion]),
        reference_answers=list(row.references),
    )


def to_label(points: float, question: FreeText, top: int) -> int:
    if top == 1:
        return int(points + 1e-9 >= question.rubric.pass_mark)
    return round(points / question.rubric.max_points * top)


@dataclass(frozen=True)
class Prepared:
    row: Row
    question: FreeText
    evidence: AnswerEvidence


def prepare(rows: Sequence[Row]) -> list[Prepared]:
    out = []
    for row in rows:
        q = question_for(row)
        out.append(
            Prepared(row, q, gather(q.prompt, q.rubric.criteria, q.reference_answers, row.answer))
        )
    return out


def offline_labels(items: Sequence[Prepared], tuning: Tuning, top: int) -> list[int]:
    labels = []
    for item in items:
        levels, _ = judge(item.question.rubric, item.evidence, tuning, has_references=True)
        labels.append(to_label(sum(lvl.points for lvl in levels.values()), item.question, top))
    return labels


def _objective(top: int) -> Callable[[Sequence[int], Sequence[int]], float]:
    return metrics.macro_f1 if top <= 4 else metrics.quadratic_weighted_kappa


def fit_offline(items: Sequence[Prepared], top: int) -> Tuning:
    """The grid point that agrees best with the training grades (macro-F1, or QWK)."""
    golds = [i.row.gold for i in items]
    best, best_value = Tuning(), -1.0
    shares, floors, mets = (0.3, 0.5, 0.7, 1.0), (0.05, 0.1, 0.2), [x / 20 for x in range(3, 18)]
    for share, floor, met, least in itertools.product(shares, floors, mets, (1, 2, 3)):
        if met <= floor:
            continue
        tuning = Tuning(concept_share=share, floor=floor, met=met, min_words=least)
        value = _objective(top)(golds, offline_labels(items, tuning, top))
        if value > best_value:
            best, best_value = tuning, value
    return best


def overlap(row: Row) -> float:
    """Baseline: the share of the reference's content words that the answer uses."""
    vocabulary = Vocabulary(row.answer)
    return max(vocabulary.share(content_stems(ref)) for ref in row.references)


def overlap_labels(rows: Sequence[Row], threshold: float, top: int) -> list[int]:
    if top == 1:
        return [int(overlap(r) >= threshold) for r in rows]
    return [min(top, round(overlap(r) / threshold * top / 2)) for r in rows]


def fit_overlap(rows: Sequence[Row], top: int) -> float:
    golds = [r.gold for r in rows]
    candidates = [x / 20 for x in range(1, 20)]
    return max(candidates, key=lambda t: _objective(top)(golds, overlap_labels(rows, t, top)))


async def llm_labels(rows: Sequence[Row], scorer: LlmRubricScorer, top: int) -> list[int]:
    """Model grades (a failed call counts as the lowest level)."""
    limit = asyncio.Semaphore(4)

    async def one(row: Row) -> int:
        question = question_for(row)
        async with limit:
            grade = await scorer.grade(question, row.answer)
        points = sum(
            next(lvl.points for lvl in c.levels if lvl.id == grade.levels.get(c.id, c.levels[0].id))
            for c in question.rubric.criteria
        )
        return to_label(points, question, top)

    return list(await asyncio.gather(*(one(r) for r in rows)))


def report(golds: Sequence[int], predicted: Sequence[int]) -> dict[str, Any]:
    return {
        "n": len(golds),
        "accuracy": round(metrics.accuracy(golds, predicted), 4),
        "macro_f1": round(metrics.macro_f1(golds, predicted), 4),
        "qwk": round(metrics.quadratic_weighted_kappa(golds, predicted), 4),
        "mae": round(metrics.mean_absolute_error(golds, predicted), 4),
    }
