"""Exact scorers for choice, true/false, numeric and short answers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
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
from bot.core.copy import t
from storage.models import AttemptStatus

_SPACE = re.compile(r"\s+")


def _normalise(text: str, case_sensitive: bool) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = _SPACE.sub(" ", text).strip(" .!")
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


_Synonyms = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Prepared:
    """A short-answer question's accepted answers, synonyms and patterns, normalised and
    compiled once per question."""

    replacements: tuple[tuple[re.Pattern[str], str], ...]
    """Per synonym other than the first of its group: its pattern and the first word."""
    accepted: tuple[str, ...]
    """The accepted answers, normalised and canonical."""
    patterns: tuple[re.Pattern[str], ...]


def _canonical(text: str, replacements: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """Replace every synonym by the first word of its group."""
    for pattern, first in replacements:
        text = pattern.sub(first, text)
    return text


@lru_cache(maxsize=1024)
def _prepare(
    accepted: tuple[str, ...], patterns: tuple[str, ...], synonyms: _Synonyms, case_sensitive: bool
) -> _Prepared:
    """Normalise the question's own texts and compile its patterns, once per question."""
    replacements = []
    for group in synonyms:
        first = _normalise(group[0], case_sensitive) if group else ""
        for other in group[1:]:
            word = re.escape(_normalise(other, case_sensitive))
            replacements.append((re.compile(rf"(?<!\w){word}(?!\w)"), first))
    rules = tuple(replacements)
    flags = 0 if case_sensitive else re.IGNORECASE
    return _Prepared(
        rules,
        tuple(_canonical(_normalise(a, case_sensitive), rules) for a in accepted),
        tuple(re.compile(p, flags) for p in patterns),
    )


def _short(q: ShortAnswer, response: str) -> Score:
    prepared = _prepare(
        tuple(q.accepted), tuple(q.patterns), tuple(map(tuple, q.synonyms)), q.case_sensitive
    )
    answer = _canonical(_normalise(response, q.case_sensitive), prepared.replacements)
    accepted = prepared.accepted
    correct = answer in accepted or any(
        p.fullmatch(answer) or p.fullmatch(_normalise(response, True)) for p in prepared.patterns
    )
    notes: tuple[str, ...] = ()
    if not correct and q.fuzzy < 100 and accepted:
        best = max(accepted, key=lambda a: fuzz.ratio(answer, a))
        if len(answer) >= 4 and fuzz.ratio(answer, best) >= q.fuzzy:
            correct = True
            shown = q.accepted[accepted.index(best)]
            spelt_right = re.search(rf"(?<!\w){re.escape(best)}(?!\w)", answer) is not None
            notes = (
                t(
                    "answer.accepted_as" if spelt_right else "answer.accepted_as_typo",
                    accepted=shown,
                ),
            )
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
