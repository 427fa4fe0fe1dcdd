"""A learner's data: export it as plain data, or erase it keeping only anonymous counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AnonymousAggregate,
    Attempt,
    Cohort,
    CohortMember,
    Enrollment,
    Identity,
    Person,
    RoleGrant,
    StepProgress,
    Team,
    TeamMember,
)
from storage.queries.assessment_export import export_peer_review, export_scoring
from storage.queries.audit import anonymise_audit, export_audit
from storage.queries.badges import export_awards, scrub_awards
from storage.queries.delivery import export_delivery
from storage.queries.engagement.export import export_engagement
from storage.types import utcnow


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_person(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data."""
    person = await session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    manager = await session.get(Person, person.manager_id) if person.manager_id else None
    identities = await session.scalars(
        select(Identity.identity).where(Identity.person_id == person_id).order_by(Identity.id)
    )
    teams = await session.execute(
        select(Team.name, Team.lead_id)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.person_id == person_id)
        .order_by(Team.name)
    )
    led = await session.scalars(select(Team.name).where(Team.lead_id == person_id))
    cohorts = await session.scalars(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.person_id == person_id)
        .order_by(Cohort.name)
    )
    roles = await session.execute(
        select(RoleGrant.role, RoleGrant.program_id, Team.name)
        .outerjoin(Team, Team.id == RoleGrant.team_id)
        .where(RoleGrant.person_id == person_id)
        .order_by(RoleGrant.role, RoleGrant.id)
    )
    return {
        "person": {
            "workspace": person.workspace_id,
            "name": person.display_name,
            "email": person.email,
            "manager": manager.email or manager.display_name if manager else None,
            "timezone": person.timezone,
            "locale": person.locale,
            "cadence": person.cadence,
            "quiet_hours": person.quiet_hours,
            "created_at": _when(person.created_at),
        },
        "identities": list(identities),
        "teams": [{"name": name, "lead": lead == person_id} for name, lead in teams],
        "teams_led": list(led),
        "cohorts": [
            {"name": c.name, "program": c.program_id, "due_date": _when(c.due_date)}
            for c in cohorts
        ],
        "roles": [{"role": r, "program": p, "team": t} for r, p, t in roles],
        "enrollments": await _enrollments(session, person_id=person_id),
        "attempts": await _attempts(session, person_id=person_id),
        "badges": await export_awards(session, person_id=person_id),
        "delivery": await export_delivery(session, person_id=person_id),
        "engagement": await export_engagement(session, person_id=person_id),
        "scoring": await export_scoring(session, person_id=person_id),
        "peer_review": await export_peer_review(session, person_id=person_id),
        "audit": await export_audit(session, person_id=person_id),
    }


async def _enrollments(session: AsyncSession, *, person_id: int) -> list[dict[str, Any]]:
    enrollments = list(
        await session.scalars(
            select(Enrollment).where(Enrollment.person_id == person_id).order_by(Enrollment.id)
        )
    )
    steps = await session.scalars(
        select(StepProgress)
        .where(StepProgress.enrollment_id.in_([e.id for e in enrollments]))
        .order_by(StepProgress.id)
    )
    by_enrollment: dict[int, list[dict[str, Any]]] = {}
    for s in steps:
        by_enrollment.setdefault(s.enrollment_id, []).append(
            {
                "step": s.step_key,
                "status": s.status,
                "score": s.score,
                "max_score": s.max_score,
                "content_hash": s.content_hash,
                "updated_at": _when(s.updated_at),
            }
        )
    return [
        {
            "program": e.program_id,
            "program_hash": e.program_hash,
            "status": e.status,
            "current_step": e.cursor_step,
            "cadence": e.cadence,
            "started_at": _when(e.started_at),
            "last_activity": _when(e.touched_at),
            "finished_at": _when(e.finished_at),
            "completed_at": _when(e.completed_at),
            "steps": by_enrollment.get(e.id, []),
        }
        for e in enrollments
    ]


async def _attempts(session: AsyncSession, *, person_id: int) -> list[dict[str, Any]]:
    attempts = await session.scalars(
        select(Attempt)
        .join(Enrollment, Enrollment.id == Attempt.enrollment_id)
        .where(Enrollment.person_id == person_id)
        .order_by(Attempt.created_at, Attempt.id)
    )
    return [
        {
            "program": a.program_id,
            "quiz": a.quiz_id,
            "question": a.question_id,
            "run": a.quiz_run,
            "content_hash": a.content_hash,
            "response": a.response,
            "status": a.status,
            "points": a.points,
            "max_points": a.max_points,
            "correct": a.correct,
            "feedback": a.feedback,
            "scorer": a.scorer,
            "answered_at": _when(a.created_at),
        }
        for a in attempts
    ]


@dataclass(frozen=True)
class Folded:
    """The counts of one erased person kept for one workspace and program."""

    workspace_id: str
    program_id: str
    enrollments: int
    completions: int
    attempts: int
    points: float


async def erase_person(session: AsyncSession, *, person_id: int) -> list[Folded] | None:
    """Fold the person's counts into AnonymousAggregate, then delete the person.

    The database cascades the delete to identities, memberships, roles, enrollments, step
    progress and attempts; teams they led and people they managed lose the link; audit
    entries about them or by them stay, anonymised. None if there is no such person.
    """
    if await session.get(Person, person_id, with_for_update=True) is None:
        return None
    answers = (
        select(
            Attempt.enrollment_id,
            func.count().label("n"),
            func.coalesce(func.sum(Attempt.points), 0).label("points"),
        )
        .group_by(Attempt.enrollment_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Enrollment.workspace_id,
            Enrollment.program_id,
            Enrollment.completed_at,
            answers.c.n,
            answers.c.points,
        )
        .outerjoin(answers, answers.c.enrollment_id == Enrollment.id)
        .where(Enrollment.person_id == person_id)
        .order_by(Enrollment.program_id)
    )
    folded = [
        Folded(ws, program, 1, int(done is not None), int(n or 0), float(points or 0))
        for ws, program, done, n, points in rows
    ]
    for item in folded:
        await _add_to_aggregate(session, item)
    await scrub_awards(session, person_id=person_id)  # badges stay, withdrawn
    await anonymise_audit(session, person_id=person_id)  # entries stay, without them
    await session.execute(delete(Person).where(Person.id == person_id))
    return folded


async def _add_to_aggregate(session: AsyncSession, item: Folded) -> None:
    """One atomic upsert, so concurrent erasures never lose a count."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(AnonymousAggregate).values(
        workspace_id=item.workspace_id,
        program_id=item.program_id,
        enrollments=item.enrollments,
        completions=item.completions,
        attempts=item.attempts,
        points=item.points,
        updated_at=utcnow(),
    )
    counters = ("enrollments", "completions", "attempts", "points")
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["workspace_id", "program_id"],
            set_={
                **{
                    name: getattr(AnonymousAggregate, name) + stmt.excluded[name]
                    for name in counters
                },
                "updated_at": stmt.excluded.updated_at,
            },
        )
    )
