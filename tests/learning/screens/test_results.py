"""Quiz results, the end of a program, progress and the dashboard, as the learner reads them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content import Catalog, Program, load_library
from bot.core.views import Message
from bot.learning.progress import QuizResult, Standing
from bot.learning.screens import (
    RunReview,
    finished_message,
    home_message,
    progress_message,
    quiz_result_message,
)
from storage.models import Enrollment, StepProgress
from tests.driver import all_text, buttons
from tests.learning.pool import question, write_pool


@pytest.fixture
def program(mini: Catalog) -> Program:
    return mini.programs["mini"]


def result(points: float, pending: int = 0) -> QuizResult:
    return QuizResult("check", points, 5, pending, pass_mark=60)


def labels(message: Message) -> list[str]:
    return [b.label for b in buttons(message)]


def test_a_passed_quiz_says_so_and_goes_on(program: Program) -> None:
    quiz = program.quizzes["check"]
    shown = quiz_result_message(quiz, result(5), 7, has_next=True)
    assert "✅ Passed: 5 of 5 points (100 %)." in all_text(shown)
    assert labels(shown) == ["Continue"]
    assert labels(quiz_result_message(quiz, result(5), 7, has_next=False)) == []


def test_a_failed_quiz_offers_a_retake_while_runs_are_left(program: Program) -> None:
    quiz = program.quizzes["check"]
    opens = datetime(2027, 3, 2, 14, 30, tzinfo=UTC)
    review = RunReview(runs_left=2, retake_at=opens)
    failed = all_text(quiz_result_message(quiz, result(1), 7, False, review))
    assert "Not yet: 1 of 5 points (20 %); the pass mark is 60 %." in failed
    assert "(2 retakes left; the next run opens 2027-03-02 14:30 UTC)." in failed
    assert labels(quiz_result_message(quiz, result(1), 7, False, review)) == ["Retake quiz"]
    last = quiz_result_message(quiz, result(1), 7, False, RunReview(runs_left=0))
    assert "You have used every run of this quiz" in all_text(last) and labels(last) == []
    one = all_text(quiz_result_message(quiz, result(1), 7, False, RunReview(runs_left=1)))
    assert "(1 retake left)." in one


def test_a_quiz_with_answers_awaiting_review_says_how_many(program: Program) -> None:
    quiz = program.quizzes["check"]
    one = all_text(quiz_result_message(quiz, result(4, pending=1), 7, False))
    assert "4 of 5 points so far; 1 answer awaiting review before this quiz counts." in one
    two = all_text(quiz_result_message(quiz, result(3, pending=2), 7, False))
    assert "2 answers awaiting review" in two and "Retake" not in two


def test_missed_questions_are_listed_with_answers_only_when_they_may_be_shown(
    program: Program,
) -> None:
    quiz = program.quizzes["check"]
    missed = tuple(q for q in quiz.questions if q.id in ("pick", "truth"))
    shown = all_text(quiz_result_message(quiz, result(3), 7, False, RunReview(missed)))
    assert "**What you missed**" in shown
    assert "❌ Pick B.\n    The answer: **B. This one**." in shown
    assert "❌ The sky is blue.\n    The answer: **True**." in shown
    hidden = RunReview(missed, lessons=("Introduction",), answers=False, runs_left=1)
    withheld = all_text(quiz_result_message(quiz, result(3), 7, False, hidden))
    assert "**Missed this time**" in withheld and "❌ Pick B." in withheld
    assert "This one" not in withheld and "Revisit: *Introduction*." in withheld


def test_a_long_list_of_missed_questions_is_cut_short(tmp_path: Path) -> None:
    body = "".join(question(n) for n in range(1, 13))
    catalog = load_library(write_pool(tmp_path, f"id: final\ntitle: Final\nquestions:\n{body}"))
    quiz = catalog.programs["pool"].quizzes["final"]
    text = all_text(
        quiz_result_message(
            quiz, QuizResult("final", 0, 12, 0, 60), 7, False, RunReview(tuple(quiz.questions))
        )
    )
    assert "Question 10?" in text and "Question 11?" not in text and "… and 2 more." in text


def enrollment(status: str, cursor: str | None) -> Enrollment:
    return Enrollment(id=7, status=status, cursor_step=cursor)


def standing(
    program: Program, status: str = "active", cursor: str | None = None, **outcomes: str
) -> Standing:
    rows = {
        key.replace("_", ":"): StepProgress(
            step_key=key.replace("_", ":"), status=s, score=1, max_score=1
        )
        for key, s in outcomes.items()
    }
    return Standing(program, enrollment(status, cursor), rows)


def test_the_end_of_a_program_says_what_is_still_missing(program: Program) -> None:
    done = finished_message(
        standing(program, "completed", lesson_intro="done", quiz_check="passed")
    )
    assert "🎓 You completed **Mini program**" in all_text(done)
    assert "*Mini Badge* is on its way" in all_text(done)
    waiting = all_text(
        finished_message(standing(program, lesson_intro="done", quiz_check="pending"))
    )
    assert "📝 Awaiting review: Check. Your credential follows once it passes." in waiting
    failed = standing(program, "finished", lesson_intro="done", quiz_check="failed")
    open_ = finished_message(failed)
    assert "To earn the credential, pass: Check." in all_text(open_)
    assert labels(open_) == ["Retake Check"]
    closed = finished_message(failed, frozenset({"check"}))
    assert "No run is left of Check: ask your learning admin" in all_text(closed)
    assert labels(closed) == []


def test_progress_shows_each_program_and_continues_only_the_open_ones(
    program: Program, tmp_path: Path
) -> None:
    pool = load_library(write_pool(tmp_path, f"id: final\ntitle: Final\nquestions:\n{question(1)}"))
    rows = [
        standing(program, "paused", "quiz:check", lesson_intro="done"),
        standing(
            pool.programs["pool"], "completed", None, lesson_intro="done", quiz_final="passed"
        ),
    ]
    text = all_text(progress_message(rows))
    assert "**Mini program**\n1 of 2 steps · ⏸ paused" in text
    assert "**Pool program**\n2 of 2 steps · 🎓 completed · 1 quiz passed" in text
    assert labels(progress_message(rows)) == ["Continue"]


def test_the_dashboard_shows_what_is_next_then_progress_and_settings(program: Program) -> None:
    reading = home_message(
        [standing(program, "active", "lesson:intro")], "Europe/Berlin", "weekdays 09:30", False
    )
    text = all_text(reading)
    assert "**Mini program**\nLesson: Introduction" in text
    assert "0 of 2 steps · in progress" in text
    assert "Time zone: **Europe/Berlin** · rhythm: **weekdays 09:30**" in text
    assert labels(reading)[0] == "Continue"
    quiz = all_text(
        home_message([standing(program, "paused", "quiz:check")], "", "daily 08:00", True)
    )
    assert "Quiz: Check" in quiz and "scheduled lessons: **paused**" in quiz
    done = home_message([standing(program, "completed", None, quiz_check="passed")], "", "x", False)
    assert "You are all caught up." in all_text(done) and labels(done)[0] == "Browse programs"
    empty = home_message([], "", "weekdays 09:30", False)
    assert "No lessons yet: pick a program to start." in all_text(empty)
