"""A learner's scoring history and peer-review records, for `learners export`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attempt,
    Enrollment,
    LearnerNotice,
    PeerDecision,
    PeerDraft,
    PeerSubmission,
    ScoreRecord,
)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export_scoring(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    """Every score given to the person's answers (and by whom), and notices left for them."""
    records = await session.scalars(
        select(ScoreRecord)
        .join(Attempt, Attempt.id == ScoreRecord.attempt_id)
        .join(Enrollment, Enrollment.id == Attempt.enrollment_id)
        .where(Enrollment.person_id == person_id)
        .order_by(ScoreRecord.id)
    )
    notices = await session.scalars(
        select(LearnerNotice).where(LearnerNotice.person_id == person_id).order_by(LearnerNotice.id)
    )
    return {
        "score_records": [
            {
                "attempt": r.attempt_id,
                "source": r.source,
                "by": r.actor,
                "points": r.points,
                "max_points": r.max_points,
                "status": r.status,
                "stood": r.stood,
                "levels": r.levels,
                "reason": r.reason,
                "at": _when(r.created_at),
            }
            for r in records
        ],
        "notices": [
            {
                "kind": n.kind,
                "text": n.text,
                "at": _when(n.created_at),
                "delivered": _when(n.delivered_at),
            }
            for n in notices
        ],
    }


async def export_peer_review(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    """Portfolio submissions the person made, drafts, and the reviews they gave."""
    submissions = await session.scalars(
        select(PeerSubmission)
        .where(PeerSubmission.author_id == person_id)
        .order_by(PeerSubmission.id)
    )
    drafts = await session.scalars(
        select(PeerDraft)
        .join(Enrollment, Enrollment.id == PeerDraft.enrollment_id)
        .where(Enrollment.person_id == person_id)
    )
    given = await session.scalars(
        select(PeerDecision).where(PeerDecision.reviewer_id == person_id).order_by(PeerDecision.id)
    )
    return {
        "submissions": [
            {
                "program": s.program_id,
                "task": f"{s.quiz_id}/{s.question_id}",
                "version": s.version,
                "status": s.status,
                "writeup": s.writeup,
                "links": s.links,
                "final_points": s.final_points,
                "submitted_at": _when(s.created_at),
                "decided_at": _when(s.decided_at),
            }
            for s in submissions
        ],
        "drafts": [
            {"task": f"{d.quiz_id}/{d.question_id}", "writeup": d.writeup, "links": d.links}
            for d in drafts
        ],
        "reviews_given": [
            {
                "submission": d.submission_id,
                "version": d.version,
                "decision": d.decision,
                "levels": d.levels,
                "comments": d.comments,
                "points": d.points,
            }
            for d in given
        ],
    }
