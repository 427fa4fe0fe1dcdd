"""Fit the answer classifier on graded answers (a short-answer dataset's training split).

`microcred score fit TRAIN --out FILE` and `microcred score eval --train` both call
`fit_models`; the shipped `fitted/default.json` came from SciEntsBank's train split:
`microcred score fit ../shared/datasets/short-answer/scientsbank-2way/train.jsonl
--out bot/assessment/fitted/default.json`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from bot.assessment import metrics
from bot.assessment.dataset import Row, question_for
from bot.assessment.features import (
    BASE,
    EXAMPLES,
    Example,
    base_features,
    criterion_context,
    example_features,
)
from bot.assessment.model import LinearModel, Models

EXAMPLE_FEATURES = (*BASE, *EXAMPLES, "log_examples")
MIN_EXAMPLES = 4
REVIEW_SHARE = 0.03
"""Share of answers the uncertainty band may send to a person (on cross-validation)."""
SEED = 7


def row_features(row: Row) -> dict[str, float]:
    question = question_for(row)
    return base_features(criterion_context(question, question.rubric.criteria[0]), row.answer)


def with_examples(
    base: dict[str, float], examples: Sequence[Example], answer: str
) -> dict[str, float]:
    values = dict(base) | example_features(examples, answer)
    values["log_examples"] = math.log1p(len(examples))
    return values


def _examples_by_question(rows: Sequence[Row], top: int, seed: int) -> list[list[Example]]:
    """For each row, some other answers to its question (leave-one-out), as many as a
    running program might have: between MIN_EXAMPLES and all of them."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[row.question_id].append(i)
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    out = []
    for i, row in enumerate(rows):
        others = [j for j in groups[row.question_id] if j != i]
        if len(others) > MIN_EXAMPLES:
            others = rng.sample(others, rng.randint(MIN_EXAMPLES, len(others)))
        out.append([Example(rows[j].answer, 2 * rows[j].gold >= top) for j in others])
    return out


def _fit_linear(x: list[list[float]], y: list[int], names: Sequence[str]) -> LinearModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(x), y)
    return LinearModel(
        tuple(names),
        tuple(round(float(v), 6) for v in scaler.mean_),
        tuple(round(float(v), 6) or 1.0 for v in scaler.scale_),
        tuple(round(float(v), 6) for v in model.coef_[0]),
        round(float(model.intercept_[0]), 6),
    )


def _cross_validated(
    x: list[list[float]], y: list[int], groups: Sequence[str] | None, names: Sequence[str]
) -> list[float]:
    """Out-of-fold probabilities: by question when `groups` (questions unseen), else by row."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    k = min(5, y.count(0), y.count(1))
    folds = (
        GroupKFold(5).split(x, y, list(groups))
        if groups is not None and len(set(groups)) >= 5
        else StratifiedKFold(max(2, k), shuffle=True, random_state=SEED).split(x, y)
    )
    out = [0.0] * len(y)
    for train, test in folds:
        model = _fit_linear([x[i] for i in train], [y[i] for i in train], names)
        for i in test:
            out[i] = model.probability(dict(zip(names, x[i], strict=True)))
    return out


def decision(
    golds: Sequence[int], probabilities: Sequence[float], review_share: float
) -> tuple[float, float, dict[str, float]]:
    """The threshold with the best macro-F1, and the widest band that stays within
    `review_share` of the answers."""
    grid = [t / 100 for t in range(30, 71)]

    def f1(t: float) -> float:
        return metrics.macro_f1(golds, [int(p >= t) for p in probabilities])

    threshold = max(grid, key=f1)
    band = 0.0
    for width in (w / 100 for w in range(1, 16)):
        share = sum(abs(p - threshold) < width for p in probabilities) / len(probabilities)
        if share > review_share:
            break
        band = width
    predicted = [int(p >= threshold) for p in probabilities]
    figures = {
        "accuracy": round(metrics.accuracy(golds, predicted), 4),
        "macro_f1": round(metrics.macro_f1(golds, predicted), 4),
    }
    return threshold, band, figures


def fit_models(
    rows: Sequence[Row],
    top: int = 1,
    *,
    review_share: float = REVIEW_SHARE,
    seed: int = SEED,
    source: str = "",
) -> Models:
    """Fit both models; a grade of at least half the scale's `top` counts as passing."""
    golds = [int(2 * r.gold >= top) for r in rows]
    if len(set(golds)) < 2:
        raise ValueError("training needs both passing and failing answers")
    base_rows = [row_features(r) for r in rows]
    x_base = [[v[name] for name in BASE] for v in base_rows]
    examples = _examples_by_question(rows, top, seed)
    x_ex = [
        [v[name] for name in EXAMPLE_FEATURES]
        for v in (
            with_examples(b, e, r.answer) for b, e, r in zip(base_rows, examples, rows, strict=True)
        )
    ]
    about: dict[str, Any] = {
        "trained_on": source,
        "rows": len(rows),
        "questions": len({r.question_id for r in rows}),
        "review_share": review_share,
    }
    models: dict[str, LinearModel] = {}
    for key, x, names, groups in (
        ("base", x_base, BASE, [r.question_id for r in rows]),
        ("examples", x_ex, EXAMPLE_FEATURES, None),
    ):
        fitted = _fit_linear(x, golds, names)
        if min(golds.count(0), golds.count(1)) >= 2:
            held_out = _cross_validated(x, golds, groups, names)
            threshold, band, figures = decision(golds, held_out, review_share)
        else:  # too few answers to hold any out: the plain decision line, no band
            threshold, band, figures = 0.5, 0.0, {}
        models[key] = LinearModel(
            fitted.features,
            fitted.mean,
            fitted.scale,
            fitted.coef,
            fitted.intercept,
            threshold,
            band,
        )
        about[f"cv_{key}"] = figures
    return Models(models["base"], models["examples"], MIN_EXAMPLES, about)
