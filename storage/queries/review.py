"""Peer review queries: submissions, assignments, decisions, drafts, calibration, availability."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    UNDER_REVIEW,
    AssignmentStatus,
    PeerAssignment,
    PeerCalibration,
    PeerDecision,
    PeerDraft,
    PeerSubmission,
    ReviewerStatus,
    SubmissionStatus,
)
from storage.types import utcnow


async def submission(
    session: AsyncSession, *, submission_id: int, lock: bool = False
) -> PeerSubmission | None:
    """One submission, freshly read; `lock` holds it until commit (decisions, timers)."""
    query = select(PeerSubmission).where(PeerSubmission.id == submission_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query.execution_options(populate_existing=True))


async def submission_for(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, question_id: str, run: int
) -> PeerSubmission | None:
    return await session.scalar(
        select(PeerSubmission).where(
            PeerSubmission.enrollment_id == enrollment_id,
            PeerSubmission.quiz_id == quiz_id,
            PeerSubmission.question_id == question_id,
            PeerSubmission.quiz_run == run,
        )
    )


async def submissions_of(session: AsyncSession, *, author_id: int) -> list[PeerSubmission]:
    rows = await session.scalars(
        select(PeerSubmission)
        .where(PeerSubmission.author_id == author_id)
        .order_by(PeerSubmission.id.desc())
    )
    return list(rows)


async def open_submissions(
    session: AsyncSession, *, workspace_id: str | None = None, limit: int = 500
) -> list[PeerSubmission]:
    """Submissions waiting for reviewers or for the learner, oldest first."""
    query = select(PeerSubmission).where(PeerSubmission.status.in_(UNDER_REVIEW))
    if workspace_id is not None:
        query = query.where(PeerSubmission.workspace_id == workspace_id)
    rows = await session.scalars(query.order_by(PeerSubmission.id).limit(limit))
    return list(rows)


async def short_handed(
    session: AsyncSession, *, workspace_id: str | None = None, program_id: str | None = None
) -> list[int]:
    """Undecided submissions with fewer active reviewers than the program asks for.

    They wait for reviewers, or fewer approvals than asked for would decide them: both are
    topped up as soon as someone is eligible.
    """
    active = (
        select(func.count())
        .where(
            PeerAssignment.submission_id == PeerSubmission.id,
            PeerAssignment.status == AssignmentStatus.ACTIVE,
        )
        .scalar_subquery()
    )
    query = select(PeerSubmission.id).where(
        PeerSubmission.status.in_(UNDER_REVIEW), active < PeerSubmission.wanted
    )
    if workspace_id is not None:
        query = query.where(PeerSubmission.workspace_id == workspace_id)
    if program_id is not None:
        query = query.where(PeerSubmission.program_id == program_id)
    return list(await session.scalars(query.order_by(PeerSubmission.id)))


async def assignments(
    session: AsyncSession, *, submission_id: int, active: bool = False
) -> list[PeerAssignment]:
    query = select(PeerAssignment).where(PeerAssignment.submission_id == submission_id)
    if active:
        query = query.where(PeerAssignment.status == AssignmentStatus.ACTIVE)
    rows = await session.scalars(
        query.order_by(PeerAssignment.ordinal).execution_options(populate_existing=True)
    )
    return list(rows)


async def assignments_by_submission(
    session: AsyncSession, *, submission_ids: Collection[int]
) -> dict[int, list[PeerAssignment]]:
    """Every assignment of several submissions in one query, by submission id, each list in
    ordinal order (freshly read)."""
    found: dict[int, list[PeerAssignment]] = {i: [] for i in submission_ids}
    if not found:
        return found
    rows = await session.scalars(
        select(PeerAssignment)
        .where(PeerAssignment.submission_id.in_(submission_ids))
        .order_by(PeerAssignment.submission_id, PeerAssignment.ordinal)
        .execution_options(populate_existing=True)
    )
    for row in rows:
        found[row.submission_id].append(row)
    return found


async def assignment(
    session: AsyncSession, *, submission_id: int, reviewer_id: int
) -> PeerAssignment | None:
    return await session.scalar(
        select(PeerAssignment).where(
            PeerAssignment.submission_id == submission_id,
            PeerAssignment.reviewer_id == reviewer_id,
        )
    )


async def assignments_of(
    session: AsyncSession, *, reviewer_id: int
) -> list[tuple[PeerAssignment, PeerSubmission]]:
    """A reviewer's active assignments on undecided submissions, oldest first."""
    rows = await session.execute(
        select(PeerAssignment, PeerSubmission)
        .join(PeerSubmission, PeerSubmission.id == PeerAssignment.submission_id)
        .where(
            PeerAssignment.reviewer_id == reviewer_id,
            PeerAssignment.status == AssignmentStatus.ACTIVE,
            PeerSubmission.status.in_(UNDER_REVIEW),
        )
        .order_by(PeerSubmission.id)
    )
    return [(a, s) for a, s in rows]


async def due_assignments(
    session: AsyncSession, *, now: datetime, limit: int = 200
) -> list[tuple[PeerAssignment, PeerSubmission]]:
    """Active assignments on open submissions whose reminder or reassignment is due."""
    rows = await session.execute(
        select(PeerAssignment, PeerSubmission)
        .join(PeerSubmission, PeerSubmission.id == PeerAssignment.submission_id)
        .where(
            PeerSubmission.status == SubmissionStatus.OPEN,
            PeerAssignment.status == AssignmentStatus.ACTIVE,
            (
                (PeerAssignment.reminded_at.is_(None) & (PeerAssignment.remind_at <= now))
                | (PeerAssignment.reassign_at <= now)
            ),
        )
        .order_by(PeerAssignment.id)
        .limit(limit)
    )
    return [(a, s) for a, s in rows]


async def to_escalate(session: AsyncSession, *, now: datetime) -> list[int]:
    rows = await session.scalars(
        select(PeerSubmission.id).where(
            PeerSubmission.status == SubmissionStatus.OPEN,
            PeerSubmission.escalated_at.is_(None),
            PeerSubmission.escalate_at <= now,
        )
    )
    return list(rows)


async def decisions(
    session: AsyncSession, *, submission_id: int, version: int | None = None
) -> list[PeerDecision]:
    query = select(PeerDecision).where(PeerDecision.submission_id == submission_id)
    if version is not None:
        query = query.where(PeerDecision.version == version)
    rows = await session.scalars(
        query.order_by(PeerDecision.id).execution_options(populate_existing=True)
    )
    return list(rows)


async def current_decisions(
    session: AsyncSession, *, submission_ids: Collection[int]
) -> dict[int, list[PeerDecision]]:
    """The decisions on the current version of several submissions in one query, by
    submission id, each list oldest first (freshly read)."""
    found: dict[int, list[PeerDecision]] = {i: [] for i in submission_ids}
    if not found:
        return found
    rows = await session.scalars(
        select(PeerDecision)
        .join(PeerSubmission, PeerSubmission.id == PeerDecision.submission_id)
        .where(
            PeerDecision.submission_id.in_(submission_ids),
            PeerDecision.version == PeerSubmission.version,
        )
        .order_by(PeerDecision.id)
        .execution_options(populate_existing=True)
    )
    for row in rows:
        found[row.submission_id].append(row)
    return found


async def approvals_of(
    session: AsyncSession, *, attempt_ids: Collection[int]
) -> dict[int, tuple[PeerSubmission, list[str]]]:
    """For each of these attempts that is the final version of an approved submission: the
    submission, and how each approving reviewer was assigned (`badge`, `reviewer`, `lead`, …),
    by attempt id; two queries for any number of attempts."""
    if not attempt_ids:
        return {}
    subs: dict[int, PeerSubmission] = {}
    for sub in await session.scalars(
        select(PeerSubmission)
        .where(
            PeerSubmission.attempt_id.in_(attempt_ids),
            PeerSubmission.status == SubmissionStatus.APPROVED,
        )
        .order_by(PeerSubmission.id)
    ):
        if sub.attempt_id is not None:
            subs.setdefault(sub.attempt_id, sub)
    if not subs:
        return {}
    sources: dict[int, list[str]] = {sub.id: [] for sub in subs.values()}
    rows = await session.execute(
        select(PeerDecision.submission_id, PeerAssignment.source)
        .join(PeerSubmission, PeerSubmission.id == PeerDecision.submission_id)
        .outerjoin(
            PeerAssignment,
            (PeerAssignment.submission_id == PeerDecision.submission_id)
            & (PeerAssignment.reviewer_id == PeerDecision.reviewer_id),
        )
        .where(
            PeerDecision.submission_id.in_(sources),
            PeerDecision.version == PeerSubmission.version,
            PeerDecision.decision == "approve",
        )
        .order_by(PeerDecision.id)
    )
    for submission_id, source in rows:
        sources[submission_id].append(source or "")
    return {attempt_id: (sub, sources[sub.id]) for attempt_id, sub in subs.items()}


# --- drafts -------------------------------------------------------------------------


async def draft(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, question_id: str
) -> PeerDraft | None:
    return await session.scalar(
        select(PeerDraft).where(
            PeerDraft.enrollment_id == enrollment_id,
            PeerDraft.quiz_id == quiz_id,
            PeerDraft.question_id == question_id,
        )
    )


async def save_draft(
    session: AsyncSession,
    *,
    enrollment_id: int,
    quiz_id: str,
    question_id: str,
    writeup: str,
    links: str,
) -> PeerDraft:
    row = await draft(
        session, enrollment_id=enrollment_id, quiz_id=quiz_id, question_id=question_id
    )
    if row is None:
        row = PeerDraft(enrollment_id=enrollment_id, quiz_id=quiz_id, question_id=question_id)
        session.add(row)
    row.writeup, row.links, row.updated_at = writeup, links, utcnow()
    await session.flush()
    return row


# --- calibration and availability --------------------------------------------------


async def calibrations(
    session: AsyncSession, *, person_id: int, program_id: str, quiz_id: str, question_id: str
) -> list[PeerCalibration]:
    rows = await session.scalars(
        select(PeerCalibration)
        .where(
            PeerCalibration.person_id == person_id,
            PeerCalibration.program_id == program_id,
            PeerCalibration.quiz_id == quiz_id,
            PeerCalibration.question_id == question_id,
        )
        .order_by(PeerCalibration.id)
    )
    return list(rows)


async def calibrated_anchors(
    session: AsyncSession,
    *,
    person_ids: Collection[int],
    program_id: str,
    quiz_id: str,
    question_id: str,
) -> dict[int, set[str]]:
    """The anchors of one task each of these people has scored, by person id (one query)."""
    found: dict[int, set[str]] = {i: set() for i in person_ids}
    if not found:
        return found
    rows = await session.execute(
        select(PeerCalibration.person_id, PeerCalibration.anchor_id).where(
            PeerCalibration.person_id.in_(person_ids),
            PeerCalibration.program_id == program_id,
            PeerCalibration.quiz_id == quiz_id,
            PeerCalibration.question_id == question_id,
        )
    )
    for person_id, anchor_id in rows:
        found[person_id].add(anchor_id)
    return found


async def reviewer_status(session: AsyncSession, *, person_id: int) -> ReviewerStatus:
    row = await session.get(ReviewerStatus, person_id)
    if row is None:
        row = ReviewerStatus(person_id=person_id, opted_out=False)
        session.add(row)
        await session.flush()
    return row
