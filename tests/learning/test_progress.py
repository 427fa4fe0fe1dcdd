"""Where an enrollment stands: quiz results, when a program is complete, and `progress`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import Catalog, Program, load_library
from bot.learning.progress import QuizResult, Standing, quiz_result
from storage.models import Enrollment, StepProgress, StepStatus
from tests.driver import buttons
from tests.learning.desk import PASSING, Desk

PROGRAM = """\
id: two
title: Two quizzes
summary: Two graded quizzes and a practice one.
steps:
  - quiz: first
  - quiz: second
  - quiz: practice
passing:
  quizzes: [first, second]
  pass_mark: 75
badge:
  name: Two Badge
  description: Passed both quizzes.
  criteria: Pass both, 75 % together.
"""
QUIZ = """\
id: {id}
title: {title}
pass_mark: 50
questions:
  - id: q
    type: true_false
    prompt: True?
    answer: true
"""


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Program:
    root = tmp_path_factory.mktemp("two")
    (root / "lessons" / "two").mkdir(parents=True)
    (root / "quizzes" / "two").mkdir(parents=True)
    (root / "lessons" / "two" / "program.yaml").write_text(PROGRAM)
    for quiz_id in ("first", "second", "practice"):
        text = QUIZ.format(id=quiz_id, title=quiz_id.title())
        (root / "quizzes" / "two" / f"{quiz_id}.yaml").write_text(text)
    program = load_library(Path(root)).get("two")
    assert program is not None
    return program


def standing(program: Program, **outcomes: tuple[str, float, float]) -> Standing:
    rows = {
        f"quiz:{quiz}": StepProgress(step_key=f"quiz:{quiz}", status=s, score=p, max_score=m)
        for quiz, (s, p, m) in outcomes.items()
    }
    return Standing(program, Enrollment(id=1, status="finished"), rows)


@pytest.mark.parametrize(
    ("points", "max_points", "pending", "status", "percent"),
    [
        (3, 5, 0, "passed", 60.0),  # exactly the pass mark
        (2.99, 5, 0, "failed", 59.8),
        (5, 5, 1, "pending", 100.0),  # an answer awaiting review holds the result back
        (0, 0, 0, "passed", 100.0),  # nothing scored out of nothing
    ],
)
def test_a_quiz_result_passes_at_its_pass_mark_unless_answers_are_pending(
    points: float, max_points: float, pending: int, status: str, percent: float
) -> None:
    result = QuizResult("check", points, max_points, pending, pass_mark=60)
    assert (result.status, round(result.percent, 6)) == (status, percent)


def test_a_program_is_complete_when_each_required_quiz_passes_and_together_they_reach_the_mark(
    two: Program,
) -> None:
    both = standing(two, first=("passed", 1, 1), second=("passed", 1, 2))
    assert both.quizzes(StepStatus.PASSED) == ["first", "second"]
    assert not both.complete  # 2 of 3 points together: 67 %, under the program's 75 %
    assert standing(two, first=("passed", 3, 3), second=("passed", 1, 2)).complete  # 80 %
    assert not standing(two, first=("passed", 1, 1)).complete  # second not taken yet
    failed = standing(two, first=("passed", 1, 1), second=("failed", 0, 1))
    assert not failed.complete and failed.quizzes(StepStatus.FAILED) == ["second"]
    practice = standing(
        two, first=("passed", 1, 1), second=("passed", 1, 1), practice=("failed", 0, 1)
    )
    assert practice.complete and practice.steps_done == 3  # practice does not count


async def test_a_result_counts_the_answers_of_the_current_run_only(
    exact_desk: Desk, exact: Catalog
) -> None:
    ann = exact_desk.learner("ann")
    for text in ("start mini", "next", "next", "b", "b"):  # right, then wrong
        await ann.say(text)
    quiz = exact.programs["mini"].quizzes["check"]
    async with exact_desk.database.transaction() as session:
        enrollment = await session.get(Enrollment, (await exact_desk.enrollment("ann")).id)
        assert enrollment is not None
        midway = await quiz_result(session, enrollment=enrollment, quiz=quiz)
        assert (midway.points, midway.max_points, midway.pending) == (1.0, 2.0, 0)
        enrollment.quiz_run += 1  # a new run: the earlier answers are not counted
        fresh = await quiz_result(session, enrollment=enrollment, quiz=quiz)
        assert (fresh.points, fresh.max_points, fresh.status) == (0, 0, "passed")
        enrollment.quiz_run -= 1


async def test_a_retaken_quiz_keeps_one_outcome_the_latest(exact_desk: Desk) -> None:
    ann = exact_desk.learner("ann")
    for text in ("start mini", "next", "next", "a", "b", "false", "1", "nope"):
        await ann.say(text)
    [failed] = await exact_desk.rows(StepProgress, StepProgress.step_key == "quiz:check")
    assert (failed.status, failed.score, failed.max_score) == ("failed", 0, 5)
    await ann.click("Retake quiz")
    for text in PASSING:
        await ann.say(text)
    [passed] = await exact_desk.rows(StepProgress, StepProgress.step_key == "quiz:check")
    assert (passed.id, passed.status, passed.score) == (failed.id, "passed", 5)


async def test_progress_tells_the_learner_where_they_stand(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    assert "You are not enrolled in a program yet." in ann.text(await ann.say("progress"))
    await ann.say("start mini")
    started = ann.text(await ann.say("progress"))
    assert "**Mini program**\n0 of 2 steps · in progress" in started
    for text in ("next", "next", *PASSING, "The situation, the behaviour and the impact."):
        await ann.say(text)
    waiting = ann.text(await ann.say("progress"))
    assert "2 of 2 steps · all steps done · 1 awaiting review" in waiting
    assert buttons(ann.last) == []  # nothing left to continue


async def test_progress_shows_a_completed_program(exact_desk: Desk) -> None:
    ann = exact_desk.learner("ann")
    for text in ("start mini", "next", "next", *PASSING):
        await ann.say(text)
    done = ann.text(await ann.say("progress"))
    assert "2 of 2 steps · 🎓 completed · 1 quiz passed" in done
