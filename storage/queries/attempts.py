"""The journey's reads of attempts: a run's answers, the questions answered or missed in it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attempt, AttemptStatus
from storage.prebuilt import per_dialect

_READ = "microcred_run_attempts"
"""Where a session keeps the runs' attempts it has read: one turn reads a run once."""
RunKey = tuple[int, str, int]


def _read(session: AsyncSession) -> dict[RunKey, list[Attempt]]:
    found: dict[RunKey, list[Attempt]] = session.info.setdefault(_READ, {})
    return found


_IN_RUN = (
    Attempt.enrollment_id == bindparam("enrollment_id"),
    Attempt.quiz_id == bindparam("quiz_id"),
    Attempt.quiz_run == bindparam("run"),
)
_RUN_ATTEMPTS = select(Attempt).where(*_IN_RUN)
_SCORED_IN_RUN = _RUN_ATTEMPTS.where(Attempt.status == AttemptStatus.SCORED)
_MISSED_IN_RUN = select(Attempt.question_id).where(
    *_IN_RUN, Attempt.status == AttemptStatus.SCORED, Attempt.correct.is_(False)
)
_insert_attempt = per_dialect(
    lambda insert: (
        insert(Attempt)
        .on_conflict_do_nothing(
            index_elements=["enrollment_id", "quiz_id", "quiz_run", "question_id", "try_no"]
        )
        .returning(Attempt)
    )
)


def _run_params(enrollment_id: int, quiz_id: str, run: int) -> dict[str, Any]:
    return {"enrollment_id": enrollment_id, "quiz_id": quiz_id, "run": run}


async def run_attempts(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> list[Attempt]:
    """Every attempt in one run of a quiz (read once per session; see `attempt_added`)."""
    read, key = _read(session), (enrollment_id, quiz_id, run)
    if key not in read:
        rows = await session.scalars(_RUN_ATTEMPTS, _run_params(enrollment_id, quiz_id, run))
        read[key] = list(rows)
    return list(read[key])


async def record_attempt(session: AsyncSession, values: dict[str, Any]) -> Attempt | None:
    """Insert one attempt; None when this try at the question is already recorded (a double
    click or a race: the unique key decides, without a savepoint)."""
    attempt = await session.scalar(_insert_attempt(session), values)
    if attempt is not None:
        attempt_added(session, attempt)
    return attempt


def attempt_added(session: AsyncSession, attempt: Attempt) -> None:
    """An attempt this session recorded joins the run it has read."""
    key = (attempt.enrollment_id, attempt.quiz_id, attempt.quiz_run)
    if (read := _read(session).get(key)) is not None:
        read.append(attempt)


def attempts_changed(session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int) -> None:
    """Another transaction recorded an attempt in the run: read it again next time."""
    _read(session).pop((enrollment_id, quiz_id, run), None)


async def latest_try(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, question_id: str, run: int
) -> Attempt | None:
    """The newest try at a question in one run of its quiz."""
    tries = [
        a
        for a in await run_attempts(session, enrollment_id=enrollment_id, quiz_id=quiz_id, run=run)
        if a.question_id == question_id
    ]
    return max(tries, key=lambda a: a.try_no, default=None)


async def scored_run_attempts(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> list[Attempt]:
    """The scored attempts in one run of a quiz."""
    rows = await session.scalars(_SCORED_IN_RUN, _run_params(enrollment_id, quiz_id, run))
    return list(rows)


async def answered_questions(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> set[str]:
    """Questions of one run answered for good: not superseded, and no other try open."""
    attempts = await run_attempts(session, enrollment_id=enrollment_id, quiz_id=quiz_id, run=run)
    return {
        a.question_id
        for a in attempts
        if a.status != AttemptStatus.SUPERSEDED and a.retry_after is None  # no try open
    }


async def missed_questions(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> set[str]:
    """Questions of one run with a scored, wrong attempt."""
    rows = await session.scalars(_MISSED_IN_RUN, _run_params(enrollment_id, quiz_id, run))
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
