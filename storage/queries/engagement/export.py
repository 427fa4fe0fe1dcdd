"""A learner's engagement data for their export: points, board choice, streaks, challenges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BoardPreference, Challenge, ChallengeMember, PointsEntry, Streak


async def export_engagement(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    entries = await session.scalars(
        select(PointsEntry).where(PointsEntry.person_id == person_id).order_by(PointsEntry.id)
    )
    choice = await session.get(BoardPreference, person_id)
    streaks = await session.scalars(select(Streak).where(Streak.person_id == person_id))
    joined = await session.execute(
        select(Challenge.goal, Challenge.program_id, ChallengeMember.joined_at)
        .join(ChallengeMember, ChallengeMember.challenge_id == Challenge.id)
        .where(ChallengeMember.person_id == person_id)
        .order_by(ChallengeMember.joined_at)
    )
    return {
        "points": [
            {
                "kind": e.kind,
                "points": e.points,
                "program": e.program_id,
                "item": e.item,
                "earned_at": e.earned_at.isoformat(),
            }
            for e in entries
        ],
        "leaderboard_choice": choice.choice if choice is not None else None,
        "streaks": [
            {"enrollment": s.enrollment_id, "current": s.current, "best": s.best} for s in streaks
        ],
        "challenges": [
            {"goal": goal, "program": program, "joined_at": at.isoformat()}
            for goal, program, at in joined
        ],
    }
