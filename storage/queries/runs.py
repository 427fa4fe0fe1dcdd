"""Retake grants: runs of a quiz an admin grants an enrollment beyond the quiz's retakes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enrollment, RetakeGrant


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
    query = select(func.coalesce(func.sum(RetakeGrant.runs), 0)).where(
        RetakeGrant.enrollment_id == enrollment_id, RetakeGrant.quiz_id == quiz_id
    )
    if since is not None:
        query = query.where(RetakeGrant.created_at >= since)
    return int(await session.scalar(query) or 0)


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
