"""Assessment queries: tries, the score audit trail, the review queue, model cache, notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attempt,
    AttemptStatus,
    Enrollment,
    LearnerNotice,
    LlmScoreCache,
    Person,
    RoleGrant,
    ScoreRecord,
    ScoreStatus,
)

# --- tries --------------------------------------------------------------------------


# --- audit trail --------------------------------------------------------------------


def score_record(
    attempt: Attempt,
    *,
    source: str,
    status: ScoreStatus,
    points: float | None,
    actor: str = "",
    stood: bool = False,
    levels: dict[str, str] | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ScoreRecord:
    return ScoreRecord(
        workspace_id=attempt.workspace_id,
        attempt_id=attempt.id,
        source=source,
        actor=actor[:255],
        points=points,
        max_points=attempt.max_points,
        status=status,
        stood=stood,
        levels=levels or {},
        reason=reason,
        details=details or {},
    )


async def score_history(session: AsyncSession, *, attempt_id: int) -> list[ScoreRecord]:
    rows = await session.scalars(
        select(ScoreRecord).where(ScoreRecord.attempt_id == attempt_id).order_by(ScoreRecord.id)
    )
    return list(rows)


# --- review queue -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewScope:
    """Which programs a person may review: all of them (admin), some (reviewer), or none."""

    everything: bool
    programs: frozenset[str]

    @property
    def any(self) -> bool:
        return self.everything or bool(self.programs)

    def covers(self, program_id: str) -> bool:
        return self.everything or program_id in self.programs


async def review_scope(session: AsyncSession, *, person: Person) -> ReviewScope:
    """Admins review everything; reviewers their programs (every program when unscoped)."""
    grants = await session.scalars(
        select(RoleGrant).where(
            RoleGrant.person_id == person.id, RoleGrant.role.in_(("admin", "reviewer"))
        )
    )
    everything, programs = False, set()
    for grant in grants:
        if grant.role == "admin" or grant.program_id is None:
            everything = True
        else:
            programs.add(grant.program_id)
    return ReviewScope(everything, frozenset(programs))


@dataclass(frozen=True)
class QueueItem:
    attempt: Attempt
    learner: Person
    enrollment: Enrollment


async def review_queue(
    session: AsyncSession,
    *,
    workspace_id: str,
    scope: ReviewScope | None = None,
    exclude_person_id: int | None = None,
    limit: int = 50,
) -> list[QueueItem]:
    """Answers waiting for a person, oldest first: provisional scores and unscored answers."""
    query = (
        select(Attempt, Person, Enrollment)
        .join(Enrollment, Enrollment.id == Attempt.enrollment_id)
        .join(Person, Person.id == Enrollment.person_id)
        .where(Attempt.workspace_id == workspace_id, Attempt.status == AttemptStatus.PENDING)
        .order_by(Attempt.created_at, Attempt.id)
        .limit(limit)
    )
    if scope is not None and not scope.everything:
        query = query.where(Attempt.program_id.in_(sorted(scope.programs)))
    if exclude_person_id is not None:
        query = query.where(Person.id != exclude_person_id)
    rows = await session.execute(query)
    return [QueueItem(a, p, e) for a, p, e in rows]


async def attempt_with_learner(session: AsyncSession, *, attempt_id: int) -> QueueItem | None:
    row = (
        await session.execute(
            select(Attempt, Person, Enrollment)
            .join(Enrollment, Enrollment.id == Attempt.enrollment_id)
            .join(Person, Person.id == Enrollment.person_id)
            .where(Attempt.id == attempt_id)
        )
    ).first()
    return QueueItem(*row) if row is not None else None


# --- the model's cache --------------------------------------------------------------


async def cached_llm_result(
    session: AsyncSession, *, model: str, rubric_hash: str, answer_hash: str
) -> dict[str, Any] | None:
    row = await session.scalar(
        select(LlmScoreCache).where(
            LlmScoreCache.model == model,
            LlmScoreCache.rubric_hash == rubric_hash,
            LlmScoreCache.answer_hash == answer_hash,
        )
    )
    return dict(row.result) if row is not None and isinstance(row.result, dict) else None


async def store_llm_result(
    session: AsyncSession,
    *,
    model: str,
    rubric_hash: str,
    answer_hash: str,
    result: dict[str, Any],
    prompt_tokens: int,
    completion_tokens: int,
    cost_usd: float | None,
) -> None:
    """Keep a validated result; a concurrent identical request may have stored it already."""
    try:
        async with session.begin_nested():
            session.add(
                LlmScoreCache(
                    model=model,
                    rubric_hash=rubric_hash,
                    answer_hash=answer_hash,
                    result=result,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    cost_usd=cost_usd,
                )
            )
    except IntegrityError:
        pass


# --- notices ------------------------------------------------------------------------


async def claim_undelivered_notices(session: AsyncSession, *, limit: int) -> list[LearnerNotice]:
    """Notices nobody has delivered yet, oldest first, locked for this transaction (rows
    another process holds are skipped)."""
    query = (
        select(LearnerNotice)
        .where(LearnerNotice.delivered_at.is_(None))
        .order_by(LearnerNotice.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(query))


async def undelivered_notices_of(
    session: AsyncSession, *, attempt_id: int | None
) -> list[LearnerNotice]:
    """The notices about one attempt nobody has delivered yet."""
    rows = await session.scalars(
        select(LearnerNotice).where(
            LearnerNotice.attempt_id == attempt_id, LearnerNotice.delivered_at.is_(None)
        )
    )
    return list(rows)
