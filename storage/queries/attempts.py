"""The journey's reads of attempts: a run's answers, the questions answered or missed in it."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attempt, AttemptStatus


async def run_attempts(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> list[Attempt]:
    """Every attempt in one run of a quiz."""
    rows = await session.scalars(
        select(Attempt).where(
            Attempt.enrollment_id == enrollment_id,
            Attempt.quiz_id == quiz_id,
            Attempt.quiz_run == run,
        )
    )
    return list(rows)


async def scored_run_attempts(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> list[Attempt]:
    """The scored attempts in one run of a quiz."""
    rows = await session.scalars(
        select(Attempt).where(
            Attempt.enrollment_id == enrollment_id,
            Attempt.quiz_id == quiz_id,
            Attempt.quiz_run == run,
            Attempt.status == AttemptStatus.SCORED,
        )
    )
    return list(rows)


async def answered_questions(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> set[str]:
    """Questions of one run answered for good: not superseded, and no other try open."""
    rows = await session.scalars(
        select(Attempt.question_id).where(
            Attempt.enrollment_id == enrollment_id,
            Attempt.quiz_id == quiz_id,
            Attempt.quiz_run == run,
            Attempt.status != AttemptStatus.SUPERSEDED,
            Attempt.retry_after.is_(None),  # set while another try is open
        )
    )
    return set(rows)


async def missed_questions(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> set[str]:
    """Questions of one run with a scored, wrong attempt."""
    rows = await session.scalars(
        select(Attempt.question_id).where(
            Attempt.enrollment_id == enrollment_id,
            Attempt.quiz_id == quiz_id,
            Attempt.quiz_run == run,
            Attempt.status == AttemptStatus.SCORED,
            Attempt.correct.is_(False),
        )
    )
    return set(rows)


async def scored_attempts_in(
    session: AsyncSession, *, enrollment_id: int, quiz_ids: Collection[str]
) -> list[Attempt]:
    """The enrollment's scored attempts at these quizzes (every run), oldest first."""
    rows = await session.scalars(
        select(Attempt)
        .where(
            Attempt.enrollment_id == enrollment_id,
            Attempt.status == AttemptStatus.SCORED,
            Attempt.quiz_id.in_(quiz_ids),
        )
        .order_by(Attempt.id)
    )
    return list(rows)
