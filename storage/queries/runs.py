"""Quiz runs (`quiz_runs`), and retake grants: runs of a quiz an admin grants an enrollment
beyond the quiz's retakes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enrollment, QuizRun, RetakeGrant

_RUNS = "microcred_quiz_runs"
"""Where a session keeps the runs it has read: one turn reads a quiz's runs once."""


def _runs_read(session: AsyncSession) -> dict[tuple[int, str], list[QuizRun]]:
    found: dict[tuple[int, str], list[QuizRun]] = session.info.setdefault(_RUNS, {})
    return found


_RUNS_OF_QUIZ = (
    select(QuizRun)
    .where(
        QuizRun.enrollment_id == bindparam("enrollment_id"),
        QuizRun.quiz_id == bindparam("quiz_id"),
    )
    .order_by(QuizRun.run)
)
_GRANTED = select(func.coalesce(func.sum(RetakeGrant.runs), 0)).where(
    RetakeGrant.enrollment_id == bindparam("enrollment_id"),
    RetakeGrant.quiz_id == bindparam("quiz_id"),
)
_GRANTED_SINCE = _GRANTED.where(RetakeGrant.created_at >= bindparam("since"))


async def quiz_runs(session: AsyncSession, *, enrollment_id: int, quiz_id: str) -> list[QuizRun]:
    """The recorded runs of a quiz, in run order (read once per session)."""
    read = _runs_read(session)
    key = (enrollment_id, quiz_id)
    if key not in read:
        rows = await session.scalars(
            _RUNS_OF_QUIZ, {"enrollment_id": enrollment_id, "quiz_id": quiz_id}
        )
        read[key] = list(rows)
    return list(read[key])


def run_added(session: AsyncSession, row: QuizRun) -> None:
    """A run this session recorded joins the runs it has read."""
    read = _runs_read(session).get((row.enrollment_id, row.quiz_id))
    if read is not None:
        read.append(row)
        read.sort(key=lambda r: r.run)


def runs_changed(session: AsyncSession, *, enrollment_id: int, quiz_id: str) -> None:
    """Another transaction recorded a run: read them again next time."""
    _runs_read(session).pop((enrollment_id, quiz_id), None)


async def quiz_runs_in(
    session: AsyncSession, *, enrollment_id: int, quiz_ids: Collection[str]
) -> dict[str, list[QuizRun]]:
    """The recorded runs of several quizzes in one query, by quiz id, each in run order."""
    found: dict[str, list[QuizRun]] = {q: [] for q in quiz_ids}
    rows = await session.scalars(
        select(QuizRun)
        .where(QuizRun.enrollment_id == enrollment_id, QuizRun.quiz_id.in_(quiz_ids))
        .order_by(QuizRun.run)
    )
    for row in rows:
        found[row.quiz_id].append(row)
    return found


async def quiz_run(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, run: int
) -> QuizRun | None:
    """One recorded run of a quiz, if it was recorded."""
    runs = await quiz_runs(session, enrollment_id=enrollment_id, quiz_id=quiz_id)
    return next((r for r in runs if r.run == run), None)


async def enrollment_in(
    session: AsyncSession, *, person_id: int, program_id: str
) -> Enrollment | None:
    """The person's enrollment in a program, if they have one."""
    return await session.scalar(
        select(Enrollment).where(
            Enrollment.person_id == person_id, Enrollment.program_id == program_id
        )
    )


async def granted_runs(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, since: datetime | None = None
) -> int:
    """Runs of the quiz granted to the enrollment (only grants made from `since` on, if given)."""
    params = {"enrollment_id": enrollment_id, "quiz_id": quiz_id, "since": since}
    return int(await session.scalar(_GRANTED if since is None else _GRANTED_SINCE, params) or 0)


async def retake_grants_in(
    session: AsyncSession, *, enrollment_id: int, quiz_ids: Collection[str]
) -> dict[str, list[tuple[datetime, int]]]:
    """(granted at, runs) of every grant of several quizzes in one query, by quiz id."""
    found: dict[str, list[tuple[datetime, int]]] = {q: [] for q in quiz_ids}
    rows = await session.execute(
        select(RetakeGrant.quiz_id, RetakeGrant.created_at, RetakeGrant.runs).where(
            RetakeGrant.enrollment_id == enrollment_id, RetakeGrant.quiz_id.in_(quiz_ids)
        )
    )
    for quiz_id, created_at, runs in rows:
        found[quiz_id].append((created_at, int(runs)))
    return found


async def add_retake_grant(
    session: AsyncSession,
    *,
    enrollment_id: int,
    quiz_id: str,
    runs: int,
    reason: str,
    granted_by: str,
) -> RetakeGrant:
    """Record a grant in the caller's transaction."""
    grant = RetakeGrant(
        enrollment_id=enrollment_id,
        quiz_id=quiz_id,
        runs=runs,
        reason=reason,
        granted_by=granted_by[:255],
    )
    session.add(grant)
    await session.flush()
    return grant
