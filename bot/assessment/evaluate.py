"""Measure our scorers against human grades: rubric per row by a fixed rule, then metrics.

The offline scorer is measured as it runs: answers it sends to a person count as wrong.
With a training file, its answers to the same question act as the answers reviewers
already scored (the common case in a running program); a question it never saw is
scored from the reference alone.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.assessment import metrics
from bot.assessment.dataset import (
    LEVELS,
    MAX_CONCEPTS,
    Row,
    question_for,
    read_rows,
    to_label,
    top_label,
)
from bot.assessment.evidence import Vocabulary
from bot.assessment.llm import LlmRubricScorer
from bot.assessment.model import Models
from bot.assessment.offline import OfflineRubricScorer, Scored
from bot.assessment.text import content_stems

__all__ = [
    "LEVELS",
    "MAX_CONCEPTS",
    "Judged",
    "Row",
    "fit_overlap",
    "judge_offline",
    "question_for",
    "read_rows",
    "report",
    "to_label",
    "top_label",
]


@dataclass(frozen=True)
class Judged:
    labels: list[int | None]
    """The offline scorer's grade per row; None where it sent the answer to a person."""
    reasons: dict[str, int]
    """How many answers went to a person, by reason."""


def judge_offline(
    rows: Sequence[Row], models: Models, top: int, scored: Sequence[Row] = ()
) -> Judged:
    """Score every row; `scored` rows answering the same question serve as its examples."""
    scorer = OfflineRubricScorer(models)
    examples: dict[str, list[Scored]] = defaultdict(list)
    for row in scored:
        examples[row.question_id].append(Scored(row.answer, 2 * row.gold >= top, {}))
    labels: list[int | None] = []
    reasons: dict[str, int] = defaultdict(int)
    for row in rows:
        question = question_for(row)
        score = scorer.score(question, row.answer, scored=examples.get(row.question_id, ()))
        if score.pending:
            labels.append(None)
            reasons[str(score.details.get("review_reason", "unsure"))] += 1
        else:
            labels.append(to_label(score.points or 0.0, question, top))
    return Judged(labels, dict(reasons))


def counted(golds: Sequence[int], labels: Sequence[int | None], top: int) -> list[int]:
    """Labels with every answer sent to review counted as wrong."""
    return [
        (label if label is not None else (gold + 1 if gold < top else gold - 1))
        for gold, label in zip(golds, labels, strict=True)
    ]


def _objective(top: int) -> Callable[[Sequence[int], Sequence[int]], float]:
    return metrics.macro_f1 if top <= 4 else metrics.quadratic_weighted_kappa


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
