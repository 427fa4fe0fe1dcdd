"""The chance a learner passes a graded quiz by guessing, behind `content validate`'s warning."""

from __future__ import annotations

from typing import Any

import pytest

from bot.assessment.guessing import guess_risk, pass_by_guessing
from bot.content.schema import Quiz


def single(qid: str, options: int = 4, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single_choice",
        "prompt": f"Question {qid}?",
        "options": [
            {"id": f"o{i}", "text": f"Option {i}", "correct": i == 0} for i in range(options)
        ],
        **extra,
    }


def truth(qid: str, answer: bool) -> dict[str, Any]:
    return {"id": qid, "type": "true_false", "prompt": f"Is {qid} so?", "answer": answer}


def quiz(questions: list[dict[str, Any]], **extra: Any) -> Quiz:
    return Quiz.model_validate({"id": "q", "title": "Q", "questions": questions, **extra})


def test_four_four_option_questions_at_seventy_percent() -> None:
    # 3 or 4 of 4 right: 4 · (1/4)^3 · 3/4 + (1/4)^4
    assert pass_by_guessing(quiz([single(f"s{i}") for i in range(4)])) == pytest.approx(
        0.05078, abs=1e-4
    )


def test_a_second_try_doubles_the_chance_of_each_question() -> None:
    assert pass_by_guessing(quiz([single("s", max_attempts=2)], pass_mark=100)) == 0.5


def test_unbalanced_true_false_is_found_by_always_answering_false() -> None:
    found = guess_risk(quiz([truth(f"t{i}", i == 0) for i in range(7)] + [truth("u", False)]))
    assert found.strategy == "false" and found.per_run == 1.0  # 7 of 8 right, passes at 70 %


def test_unguessable_points_make_guessing_hopeless() -> None:
    numeric = {"id": "n", "type": "numeric", "prompt": "How many?", "answer": 72, "points": 3}
    assert pass_by_guessing(quiz([single("a"), single("b"), numeric])) == 0.0


def test_limited_runs_add_up_and_a_draw_is_judged_at_its_easiest() -> None:
    questions = [single(f"s{i}", options=2) for i in range(4)] + [
        single(f"h{i}", 10) for i in range(4)
    ]
    risk = guess_risk(quiz(questions, draw=2, pass_mark=100, retakes=2))
    assert risk.per_run == pytest.approx(0.25)  # the two two-option questions
    assert risk.overall == pytest.approx(1 - 0.75**3)
