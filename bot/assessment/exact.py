"""Exact scorers for choice, true/false, numeric and short answers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz

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
from storage.models import AttemptStatus


def _normalise(text: str, case_sensitive: bool) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+", " ", text).strip(" .!")
    return text if case_sensitive else text.casefold()


def _single(q: SingleChoice, response: str) -> Score:
    picked = next(o for o in q.options if o.id == response)
    correct = picked.correct
    notes = (picked.feedback,) if picked.feedback else ()
    return Score(q.points if correct else 0.0, q.points, AttemptStatus.SCORED, correct, notes)


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
    return Score(
        round(q.points * fraction, 4), q.points, AttemptStatus.SCORED, picked == right, notes
    )


def _numeric(q: Numeric, response: float) -> Score:
    tolerance = q.tolerance
    if q.tolerance_percent is not None:
        tolerance = max(tolerance, abs(q.answer) * q.tolerance_percent / 100)
    correct = abs(response - q.answer) <= tolerance + 1e-9
    return Score(q.points if correct else 0.0, q.points, AttemptStatus.SCORED, correct)


def _canonical(text: str, q: ShortAnswer) -> str:
    """Replace every synonym by the first word of its group."""
    for group in q.synonyms:
        first = _normalise(group[0], q.case_sensitive) if group else ""
        for other in group[1:]:
            word = re.escape(_normalise(other, q.case_sensitive))
            text = re.sub(rf"(?<!\w){word}(?!\w)", first, text)
    return text


def _short(q: ShortAnswer, response: str) -> Score:
    answer = _canonical(_normalise(response, q.case_sensitive), q)
    accepted = [_canonical(_normalise(a, q.case_sensitive), q) for a in q.accepted]
    flags = 0 if q.case_sensitive else re.IGNORECASE
    correct = answer in accepted or any(
        re.fullmatch(p, answer, flags) or re.fullmatch(p, _normalise(response, True), flags)
        for p in q.patterns
    )
    notes: tuple[str, ...] = ()
    if not correct and q.fuzzy < 100 and accepted:
        best = max(accepted, key=lambda a: fuzz.ratio(answer, a))
        if len(answer) >= 4 and fuzz.ratio(answer, best) >= q.fuzzy:
            correct = True
            notes = (f"Accepted as “{q.accepted[accepted.index(best)]}”: check the spelling.",)
    return Score(q.points if correct else 0.0, q.points, AttemptStatus.SCORED, correct, notes)


def score_answer(question: Question, response: Any) -> Score:
    """Score a parsed response; rubric questions are pending until a rubric scorer runs."""
    if isinstance(question, SingleChoice):
        return _single(question, response)
    if isinstance(question, MultipleChoice):
        return _multiple(question, response)
    if isinstance(question, TrueFalse):
        ok = response is question.answer
        return Score(question.points if ok else 0.0, question.points, AttemptStatus.SCORED, ok)
    if isinstance(question, Numeric):
        return _numeric(question, response)
    if isinstance(question, ShortAnswer):
        return _short(question, response)
    if isinstance(question, FreeText | Portfolio):
        return Score(
            None, max_points(question), AttemptStatus.PENDING, None, scorer="pending-review"
        )
    raise TypeError(f"no scorer for {type(question).__name__}")
