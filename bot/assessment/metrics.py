"""Agreement between our scores and human grades: accuracy, macro-F1, QWK and MAE."""

from __future__ import annotations

from collections.abc import Sequence


def accuracy(gold: Sequence[int], predicted: Sequence[int]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[int], predicted: Sequence[int]) -> float:
    """The mean F1 over every label that occurs in the gold or the predictions."""
    labels = sorted(set(gold) | set(predicted))
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def quadratic_weighted_kappa(gold: Sequence[int], predicted: Sequence[int]) -> float:
    """Cohen's kappa with quadratic weights over the integer range both use."""
    if not gold:
        return 0.0
    low = min(min(gold), min(predicted))
    high = max(max(gold), max(predicted))
    size = high - low + 1
    if size == 1:
        return 1.0
    observed = [[0.0] * size for _ in range(size)]
    for g, p in zip(gold, predicted, strict=True):
        observed[g - low][p - low] += 1
    n = len(gold)
    rows = [sum(row) for row in observed]
    cols = [sum(observed[i][j] for i in range(size)) for j in range(size)]
    numerator = denominator = 0.0
    for i in range(size):
        for j in range(size):
            weight = (i - j) ** 2 / (size - 1) ** 2
            numerator += weight * observed[i][j]
            denominator += weight * rows[i] * cols[j] / n
    return 1.0 - numerator / denominator if denominator else 1.0


def mean_absolute_error(gold: Sequence[float], predicted: Sequence[float]) -> float:
    pairs = zip(gold, predicted, strict=True)
    return sum(abs(g - p) for g, p in pairs) / len(gold) if gold else 0.0
