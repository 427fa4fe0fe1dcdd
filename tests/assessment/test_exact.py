"""Exact scorers on hand-made cases: choices, numbers with units, short answers."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from bot.assessment import parse_response, score_answer
from bot.assessment.units import UnitError, parse_quantity
from bot.content.schema import MultipleChoice, Numeric, Question, ShortAnswer
from bot.core.errors import BadRequest

QUESTION: TypeAdapter[Any] = TypeAdapter(Question)


def question(**data: Any) -> Any:
    return QUESTION.validate_python({"id": "q", "prompt": "?", **data})


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("72", "hours", 72),
        ("72 hours", "hours", 72),
        ("72 Hours.", "hours", 72),
        ("1 hour", "hours", 1),
        ("3 days", "hours", 72),
        ("90 min", "hours", 1.5),
        ("2,5 GB", "MB", 2500),
        ("1,000", "", 1000),
        ("20 %", "percent", 20),
        ("1 business day", "business days", 1),
    ],
)
def test_numbers_convert_to_the_question_unit(text: str, unit: str, value: float) -> None:
    assert parse_quantity(text, unit) == pytest.approx(value)


def test_units_of_another_dimension_are_refused() -> None:
    with pytest.raises(UnitError):
        parse_quantity("3 GB", "hours")
    numeric = question(type="numeric", answer=72, unit="hours")
    with pytest.raises(BadRequest, match="Send the number in hours"):
        parse_response(numeric, "3 GB")


def test_numeric_tolerance() -> None:
    q: Numeric = question(type="numeric", answer=100, tolerance_percent=5, unit="ms")
    assert score_answer(q, parse_response(q, "104 ms")).correct
    assert not score_answer(q, parse_response(q, "0.2 s")).correct
    assert score_answer(q, parse_response(q, "0.1 s")).correct


def test_short_answer_synonyms_patterns_and_fuzzy() -> None:
    q: ShortAnswer = question(
        type="short_answer",
        accepted=["data minimisation"],
        patterns=[r"minimi[sz]e( the)? data"],
        synonyms=[["minimisation", "minimization", "data diet"]],
    )
    assert score_answer(q, "Data Minimization.").correct
    assert score_answer(q, "data data diet").correct
    assert score_answer(q, "minimize the data").correct
    typo = score_answer(q, "data minimsation")
    assert typo.correct and "check the spelling" in typo.feedback[0]
    assert not score_answer(q, "data retention").correct
    strict: ShortAnswer = question(type="short_answer", accepted=["identity"], fuzzy=100)
    assert not score_answer(strict, "identiy").correct
    short: ShortAnswer = question(type="short_answer", accepted=["nit"])
    assert not score_answer(short, "nil").correct  # one letter off a short word is another word


@pytest.mark.parametrize(
    ("rule", "picked", "points"),
    [
        ("all_or_nothing", ["a", "c"], 1.0),
        ("all_or_nothing", ["a"], 0.0),
        ("per_option", ["a"], 2 / 3),
        ("right_minus_wrong", ["a", "b"], 0.0),
        ("right_minus_wrong", ["a"], 0.5),
    ],
)
def test_multiple_choice_partial_credit(rule: str, picked: list[str], points: float) -> None:
    q: MultipleChoice = question(
        type="multiple_choice",
        partial_credit=rule,
        options=[
            {"id": "a", "text": "A", "correct": True},
            {"id": "b", "text": "B"},
            {"id": "c", "text": "C", "correct": True},
        ],
    )
    assert score_answer(q, picked).points == pytest.approx(points, abs=1e-3)


def test_a_right_answer_with_an_aside_is_not_told_to_check_its_spelling(catalog: Any) -> None:
    stride = catalog.programs["secure-coding"].question("secure-coding-final", "stride-category")
    for given in ("Elevation of Privilege (E)", "EoP: elevation of privilege"):
        score = score_answer(stride, given)
        assert score.correct and score.feedback == (), given
    plain: ShortAnswer = question(type="short_answer", accepted=["spoofing"], fuzzy=70)
    aside = score_answer(plain, "spoofing (S)")
    assert aside.correct and aside.feedback == ("Accepted as “spoofing”.",)
    typo = score_answer(plain, "spofing")
    assert typo.correct and "check the spelling" in typo.feedback[0]
