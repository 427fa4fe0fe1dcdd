"""Exact scorers for choice, true/false, numeric and short answers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.assessment.score import Score
from bot.content.schema import (
    FreeText,
    MultipleChoice,
    Numeric,
    Portfolio,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    max_points,
)


def _normalise(text: str, case_sensitive: bool) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+", " ", text).strip(" .!")
    return text if case_sensitive else text.casefold()


def _single(q: SingleChoice, response: str) -> Score:
    picked = next(o for o in q.options if o.id == response)
    correct = picked.correct
    notes = (picked.feedback,) if picked.feedback else ()
    return Score(q.points if correct else 0.0, q.points, "scored", correct, notes)


def _multiple(q: MultipleChoice, response: list[str]) -> Score:
    picked = set(response)
    right = {o.id for o in q.options if o.correct}
    n = len(q.options)
    if q.partial_credit == "all_or_nothing":
        fraction = 1.0 if picked == right else 0.0
    elif q.partial_credit == "per_option":
        judged_right = sum((o.id in picked) == o.correct for o in q.options)
        fraction = judged_right / n
    else:
        hits = len(picked & right)
        misses = len(picked - right)
        fraction = max(0.0, (hits - misses) / len(right))
    notes = tuple(o.feedback for o in q.options if o.id in picked and o.feedback)
    return Score(round(q.points * fraction, 4), q.points, "scored", picked == right, notes)


def _numeric(q: Numeric, response: float) -> Score:
    tolerance = q.tolerance
    if q.tolerance_percent is not None:
        tolerance = max(tolerance, abs(q.answer) * q.tolerance_percent / 100)
    correct = abs(response - q.answer) <= tolerance + 1e-9
    return Score(q.points if correct else 0.0, q.points, "scored", correct)


def _short(q: ShortAnswer, response: str) -> Score:
    answer = _normalise(response, q.case_sensitive)
    correct = any(answer == _normalise(a, q.case_sensitive) for a in q.accepted) or any(
        re.fullmatch(p, answer, 0 if q.case_sensitive else re.IGNORECASE) for p in q.patterns
    )
    return Score(q.points if correct else 0.0, q.points, "scored", correct)


def score_answer(question: Question, response: Any) -> Score:
    """Score a parsed response; rubric questions are pending until a rubric scorer runs."""
    if isinstance(question, SingleChoice):
        return _single(question, response)
    if isinstance(question, MultipleChoice):
        return _multiple(question, response)
    if isinstance(question, TrueFalse):
        ok = response is question.answer
        return Score(question.points if ok else 0.0, question.points, "scored", ok)
    if isinstance(question, Numeric):
        return _numeric(question, response)
    if isinstance(question, ShortAnswer):
        return _short(question, response)
    if isinstance(question, FreeText | Portfolio):
        return Score(None, max_points(question), "pending", None, scorer="pending-review")
    raise TypeError(f"no scorer for {type(question).__name__}")
