"""The runs of a quiz: drawn and seeded once, recorded, and shown the same way everywhere."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.draw import draw_questions, run_view
from bot.assessment.policy import runs_left, when
from bot.content import Program
from bot.content.schema import Quiz
from storage.models import Enrollment, QuizRun, StepProgress
from storage.types import utcnow


@dataclass(frozen=True)
class AskedQuiz:
    """A quiz as the current run asks it, with the run's record."""

    quiz: Quiz
    run: QuizRun


async def _runs(session: AsyncSession, enrollment_id: int, quiz_id: str) -> list[QuizRun]:
    rows = await session.scalars(
        select(QuizRun)
        .where(QuizRun.enrollment_id == enrollment_id, QuizRun.quiz_id == quiz_id)
        .order_by(QuizRun.run)
    )
    return list(rows)


async def latest_run(session: AsyncSession, enrollment_id: int, quiz_id: str) -> QuizRun | None:
    """The newest recorded run of a quiz."""
    runs = await _runs(session, enrollment_id, quiz_id)
    return runs[-1] if runs else None


async def _retaking(session: AsyncSession, enrollment_id: int, quiz_id: str) -> bool:
    """Whether the quiz already has an outcome (a retake), not a fresh start or a renewal."""
    found = await session.scalar(
        select(StepProgress.id).where(
            StepProgress.enrollment_id == enrollment_id,
            StepProgress.step_key == f"quiz:{quiz_id}",
        )
    )
    return found is not None


async def current_run(session: AsyncSession, enrollment: Enrollment, quiz: Quiz) -> QuizRun:
    """The record of the enrollment's current run of `quiz`, drawn and seeded on first use."""
    runs = await _runs(session, enrollment.id, quiz.id)
    for row in runs:
        if row.run == enrollment.quiz_run:
            return row
    seed = secrets.randbits(62)
    earlier = [list(r.questions or []) for r in runs]
    number = runs[-1].number + 1 if runs and await _retaking(session, enrollment.id, quiz.id) else 1
    row = QuizRun(
        enrollment_id=enrollment.id,
        quiz_id=quiz.id,
        run=enrollment.quiz_run,
        number=number,
        seed=seed,
        questions=draw_questions(quiz, seed, earlier),
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # drawn meanwhile by a concurrent event: that draw stands
        found = await session.scalar(
            select(QuizRun).where(
                QuizRun.enrollment_id == enrollment.id,
                QuizRun.quiz_id == quiz.id,
                QuizRun.run == enrollment.quiz_run,
            )
        )
        assert found is not None
        return found
    return row


async def asked(
    session: AsyncSession, program: Program, enrollment: Enrollment, quiz_id: str
) -> AskedQuiz | None:
    """The quiz as the enrollment's current run asks it (None if the program lacks it)."""
    quiz = program.quizzes.get(quiz_id)
    if quiz is None:
        return None
    row = await current_run(session, enrollment, quiz)
    return AskedQuiz(run_view(quiz, row.seed, row.questions or []), row)


async def asked_in(
    session: AsyncSession, program: Program, enrollment_id: int, quiz_id: str, run: int
) -> Quiz | None:
    """The quiz as an earlier (or the current) run asked it, if that run was recorded."""
    quiz = program.quizzes.get(quiz_id)
    if quiz is None:
        return None
    row = await session.scalar(
        select(QuizRun).where(
            QuizRun.enrollment_id == enrollment_id,
            QuizRun.quiz_id == quiz_id,
            QuizRun.run == run,
        )
    )
    return run_view(quiz, row.seed, row.questions or []) if row is not None else quiz


async def retake_refusal(session: AsyncSession, quiz: Quiz, enrollment_id: int) -> str:
    """Why the quiz cannot be retaken now ("" when it can): no run left, or a cool-down."""
    latest = await latest_run(session, enrollment_id, quiz.id)
    if latest is None:
        return ""
    if runs_left(quiz, latest.number) == 0:
        return (
            f"You have used every run of **{quiz.title}** ({latest.number}). "
            "Ask your learning admin if you need another go."
        )
    ended = latest.ended_at or latest.started_at
    opens = ended + timedelta(seconds=quiz.retake_cooldown_seconds)
    now = utcnow()
    if opens > now:
        return f"You can retake **{quiz.title}** {when(opens, now)}: time to revisit the lessons."
    return ""


async def closed_quizzes(
    session: AsyncSession, program: Program, enrollment_id: int, quiz_ids: list[str]
) -> frozenset[str]:
    """Of `quiz_ids`, those with no run left."""
    closed = set()
    for quiz_id in quiz_ids:
        latest = await latest_run(session, enrollment_id, quiz_id)
        quiz = program.quizzes.get(quiz_id)
        if latest is not None and quiz is not None and runs_left(quiz, latest.number) == 0:
            closed.add(quiz_id)
    return frozenset(closed)
