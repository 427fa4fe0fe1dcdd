"""A question as asked, and as answered: the choices, the verdict in words, and the answer."""

from __future__ import annotations

import pytest

from bot.assessment.score import Score
from bot.content import Catalog, Program
from bot.content.schema import Question, Quiz
from bot.core.views import ChoiceField, Context, Form, TextField
from bot.learning.screens import answered_message, describe_response, question_message
from storage.models import AttemptStatus
from tests.driver import all_text, buttons


@pytest.fixture
def program(mini: Catalog) -> Program:
    return mini.programs["mini"]


@pytest.fixture
def quiz(program: Program) -> Quiz:
    return program.quizzes["check"]


def asked(program: Program, quiz: Quiz, question_id: str, notices: tuple[str, ...] = ()) -> str:
    index = [q.id for q in quiz.questions].index(question_id)
    return all_text(question_message(program, quiz, index, 7, 0, notices))


def forms(program: Program, quiz: Quiz, question_id: str) -> list[Form]:
    index = [q.id for q in quiz.questions].index(question_id)
    shown = question_message(program, quiz, index, 7, 0)
    return [b for b in shown.blocks if isinstance(b, Form)]


def test_a_single_choice_question_shows_lettered_options_and_a_button_each(
    program: Program, quiz: Quiz
) -> None:
    shown = question_message(program, quiz, 0, 7, 0)
    text = all_text(shown)
    assert "Pick B." in text and "**A.** Not this\n\n**B.** This one" in text
    assert [(b.label, b.command) for b in buttons(shown)] == [("A", "a"), ("B", "b")]
    assert "Question 1 of 6 · 1 point · Reply with a letter, or click one." in text


def test_each_kind_of_question_asks_for_its_own_kind_of_answer(
    program: Program, quiz: Quiz
) -> None:
    [many] = forms(program, quiz, "many")
    [choices] = many.fields
    assert isinstance(choices, ChoiceField) and choices.multiple
    assert [o.label for o in choices.options] == ["A. Yes", "B. No", "C. Yes too"]
    assert "Reply with every letter that applies, like `a, c`." in asked(program, quiz, "many")
    [number] = forms(program, quiz, "number")
    [field] = number.fields
    assert isinstance(field, TextField) and field.numeric and field.label == "Your answer (hours)"
    assert "Reply true or false." in asked(program, quiz, "truth")
    assert "Scored against: Names it" in asked(program, quiz, "essay")
    assert "2 points · Reply with your answer." in asked(program, quiz, "essay")


def test_notices_are_shown_and_empty_ones_left_out(program: Program, quiz: Quiz) -> None:
    shown = question_message(program, quiz, 0, 7, 0, ("Try 1 of 2", ""))
    small_print = [b.text for b in shown.blocks if isinstance(b, Context)]
    assert small_print[0] == "Try 1 of 2" and len(small_print) == 2


def scored(points: float, max_points: float = 1, correct: bool | None = None) -> Score:
    return Score(
        points,
        max_points,
        AttemptStatus.SCORED,
        correct if correct is not None else points >= max_points,
    )


def question(quiz: Quiz, question_id: str, **changes: object) -> Question:
    found = next(q for q in quiz.questions if q.id == question_id)
    return found.model_copy(update=changes)


def test_the_verdict_says_right_partly_right_or_wrong(quiz: Quiz) -> None:
    pick, many = question(quiz, "pick"), question(quiz, "many")
    right = all_text(answered_message(quiz, 0, pick, "b", scored(1)))
    assert "**Your answer:** B. This one" in right and "✅ Correct: 1 of 1 point." in right
    partly = all_text(answered_message(quiz, 1, many, ["a"], scored(0.5, 1, False)))
    assert "🟡 Partly right: 0.5 of 1 point." in partly
    wrong = all_text(answered_message(quiz, 0, pick, "a", scored(0)))
    assert "❌ Not quite. The answer is: **B. This one**" in wrong
    assert "Question 1 of 6 · answered" in wrong


def test_the_answer_and_explanation_are_withheld_unless_revealed(quiz: Quiz) -> None:
    pick = question(quiz, "pick", explanation="B is the one named.")
    withheld = all_text(answered_message(quiz, 0, pick, "a", scored(0), reveal=False))
    assert "❌ Not quite." in withheld
    assert "This one" not in withheld and "B is the one named." not in withheld
    revealed = all_text(answered_message(quiz, 0, pick, "a", scored(0)))
    assert "B is the one named." in revealed


def test_an_answer_that_may_be_tried_again_says_so(quiz: Quiz) -> None:
    pick = question(quiz, "pick")
    shown = answered_message(quiz, 0, pick, "a", scored(0), reveal=False, note="1 more try")
    assert "1 more try" in all_text(shown) and buttons(shown) == []  # no keep offered unasked


def test_rubric_answers_say_received_provisional_passed_or_not_yet(quiz: Quiz) -> None:
    essay = question(quiz, "essay")
    waiting = Score(None, 2, AttemptStatus.PENDING, None)
    assert "📝 Received. This answer will be scored" in all_text(
        answered_message(quiz, 5, essay, "text", waiting)
    )
    provisional = Score(2, 2, AttemptStatus.PENDING, True)
    assert "⏳ Provisional: 2 of 2 points. A reviewer will confirm" in all_text(
        answered_message(quiz, 5, essay, "text", provisional)
    )
    assert "✅ Passed: 1 of 2 points." in all_text(
        answered_message(quiz, 5, essay, "text", scored(1, 2, True))
    )
    assert "Not yet: 0 of 2 points; 1 needed to pass." in all_text(
        answered_message(quiz, 5, essay, "text", scored(0, 2, False))
    )


def test_a_response_is_described_in_words_and_typed_text_made_literal(quiz: Quiz) -> None:
    assert describe_response(question(quiz, "many"), ["c", "a"]) == "A. Yes, C. Yes too"
    assert describe_response(question(quiz, "truth"), False) == "False"
    assert describe_response(question(quiz, "number"), 72.0) == "72 hours"
    typed = describe_response(question(quiz, "essay"), "<!channel> **loud**")
    assert typed == "\\<\\!channel\\> \\*\\*loud\\*\\*"
    assert describe_response(question(quiz, "essay"), "x" * 1000).endswith("…")
