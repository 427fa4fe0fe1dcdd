"""Human scores of a question's answers, for the offline scorer's labelled examples."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attempt, ScoreRecord


def _human_scores(
    program_id: str, quiz_id: str, question_id: str, content_hash: str, sources: Collection[str]
) -> tuple[ColumnElement[bool], ...]:
    return (
        Attempt.program_id == program_id,
        Attempt.quiz_id == quiz_id,
        Attempt.question_id == question_id,
        Attempt.content_hash == content_hash,
        ScoreRecord.source.in_(sources),
        ScoreRecord.points.is_not(None),
    )


async def newest_human_score(
    session: AsyncSession,
    *,
    program_id: str,
    quiz_id: str,
    question_id: str,
    content_hash: str,
    sources: Collection[str],
) -> int | None:
    """The id of the newest score from `sources` given to an answer of this version of a
    question (None: none yet)."""
    where = _human_scores(program_id, quiz_id, question_id, content_hash, sources)
    return await session.scalar(
        select(func.max(ScoreRecord.id))
        .join(Attempt, Attempt.id == ScoreRecord.attempt_id)
        .where(*where)
    )


async def human_scores(
    session: AsyncSession,
    *,
    program_id: str,
    quiz_id: str,
    question_id: str,
    content_hash: str,
    sources: Collection[str],
    limit: int,
) -> list[tuple[int, Any, float, dict[str, Any] | None]]:
    """(attempt id, response, points, levels) of the newest `limit` such scores, newest first."""
    where = _human_scores(program_id, quiz_id, question_id, content_hash, sources)
    rows = await session.execute(
        select(Attempt.id, Attempt.response, ScoreRecord.points, ScoreRecord.levels)
        .join(Attempt, Attempt.id == ScoreRecord.attempt_id)
        .where(*where)
        .order_by(ScoreRecord.id.desc())
        .limit(limit)
    )
    return [(attempt_id, response, points, levels) for attempt_id, response, points, levels in rows]
