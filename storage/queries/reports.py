"""Progress reports: one row per person enrolled in a program."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attempt,
    AttemptStatus,
    Cohort,
    CohortMember,
    Enrollment,
    Person,
    StepProgress,
    StepStatus,
)


@dataclass(frozen=True)
class ProgressRow:
    name: str
    email: str
    cohort: str
    status: str
    steps_done: int
    steps_total: int
    quizzes_passed: int
    quizzes_total: int
    pending_reviews: int
    last_activity: datetime | None
    completed_at: datetime | None


async def progress_rows(
    session: AsyncSession,
    *,
    workspace_id: str,
    program_id: str,
    step_keys: Sequence[str],
    cohort_id: int | None = None,
) -> list[ProgressRow]:
    """Where everyone enrolled in the program stands, optionally only one cohort's members.

    `step_keys` are the program's current steps (`lesson:ID`, `quiz:ID`); a step counts as
    done once it has an outcome, a quiz as passed when its outcome is `passed`. Pending
    reviews are answers waiting for rubric scoring or peer review.
    """
    query = (
        select(Enrollment, Person.display_name, Person.email)
        .join(Person, Person.id == Enrollment.person_id)
        .where(Enrollment.workspace_id == workspace_id, Enrollment.program_id == program_id)
    )
    if cohort_id is not None:
        query = query.join(
            CohortMember,
            (CohortMember.person_id == Enrollment.person_id)
            & (CohortMember.cohort_id == cohort_id),
        )
    found = (await session.execute(query)).all()
    ids = [e.id for e, _, _ in found]
    outcomes = await _outcomes(session, enrollment_ids=ids)
    pending, last_answer = await _attempt_facts(session, enrollment_ids=ids)
    cohorts = await _cohort_names(
        session, workspace_id=workspace_id, program_id=program_id, wanted=cohort_id
    )
    keys = list(step_keys)
    quiz_keys = [k for k in keys if k.startswith("quiz:")]
    rows = []
    for enrollment, name, email in found:
        done = outcomes.get(enrollment.id, {})
        times = [enrollment.touched_at, last_answer.get(enrollment.id)]
        times += [when for _, when in done.values()]
        known = [t for t in times if t is not None]
        cohort = cohorts.get((enrollment.person_id, enrollment.cohort_id))
        rows.append(
            ProgressRow(
                name=name,
                email=email or "",
                cohort=cohort or cohorts.get((enrollment.person_id, None), ""),
                status=enrollment.status,
                steps_done=sum(1 for k in keys if k in done),
                steps_total=len(keys),
                quizzes_passed=sum(1 for k in quiz_keys if _status(done, k) == StepStatus.PASSED),
                quizzes_total=len(quiz_keys),
                pending_reviews=pending.get(enrollment.id, 0),
                last_activity=max(known) if known else None,
                completed_at=enrollment.completed_at,
            )
        )
    return sorted(rows, key=lambda r: (r.cohort, r.name.lower(), r.email))


def _status(done: dict[str, tuple[str, datetime]], key: str) -> str | None:
    found = done.get(key)
    return found[0] if found else None


async def _outcomes(
    session: AsyncSession, *, enrollment_ids: list[int]
) -> dict[int, dict[str, tuple[str, datetime]]]:
    rows = await session.execute(
        select(
            StepProgress.enrollment_id,
            StepProgress.step_key,
            StepProgress.status,
            StepProgress.updated_at,
        ).where(StepProgress.enrollment_id.in_(enrollment_ids))
    )
    out: dict[int, dict[str, tuple[str, datetime]]] = {}
    for enrollment_id, key, status, when in rows:
        out.setdefault(enrollment_id, {})[key] = (status, when)
    return out


async def _attempt_facts(
    session: AsyncSession, *, enrollment_ids: list[int]
) -> tuple[dict[int, int], dict[int, datetime]]:
    """Per enrollment: answers waiting for review, and when the last answer was given."""
    pending_count = func.sum(case((Attempt.status == AttemptStatus.PENDING, 1), else_=0))
    rows = await session.execute(
        select(Attempt.enrollment_id, pending_count, func.max(Attempt.created_at))
        .where(Attempt.enrollment_id.in_(enrollment_ids))
        .group_by(Attempt.enrollment_id)
    )
    pending: dict[int, int] = {}
    last: dict[int, datetime] = {}
    for enrollment_id, waiting, when in rows:
        pending[enrollment_id] = int(waiting or 0)
        if when is not None:
            last[enrollment_id] = when
    return pending, last


async def _cohort_names(
    session: AsyncSession, *, workspace_id: str, program_id: str, wanted: int | None
) -> dict[tuple[int, int | None], str]:
    """Cohort names by (person, cohort id), and by (person, None) for any cohort of theirs."""
    query = (
        select(CohortMember.person_id, Cohort.id, Cohort.name)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.workspace_id == workspace_id, Cohort.program_id == program_id)
        .order_by(Cohort.name)
    )
    if wanted is not None:
        query = query.where(Cohort.id == wanted)
    out: dict[tuple[int, int | None], str] = {}
    for person_id, cohort_id, name in await session.execute(query):
        out[(person_id, cohort_id)] = name
        out.setdefault((person_id, None), name)
    return out
