"""One read for a learner's turn: the person, their enrollments with cohort and streak, and
their teams and leaderboard choice. Later reads in the same session take these from it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BoardPreference, Cohort, Enrollment, Identity, Person, Streak, TeamMember

_KEPT = "microcred_loaded"
_TEAMS = "microcred_teams_and_choice"
_ENROLLMENTS = "microcred_enrollment_context"

StreakValues = tuple[int, int, Any, Any, Any]
"""current, best, last slot, excused from, excused until."""


def _info(session: AsyncSession, key: str) -> dict[Any, Any]:
    found: dict[Any, Any] = session.info.setdefault(key, {})
    return found


_LEARNER = (
    select(Person, Enrollment, Cohort, Streak, TeamMember.team_id, BoardPreference.choice)
    .join(Identity, Identity.person_id == Person.id)
    .outerjoin(Enrollment, Enrollment.person_id == Person.id)
    .outerjoin(Cohort, Cohort.id == Enrollment.cohort_id)
    .outerjoin(Streak, Streak.enrollment_id == Enrollment.id)
    .outerjoin(TeamMember, TeamMember.person_id == Person.id)
    .outerjoin(BoardPreference, BoardPreference.person_id == Person.id)
    .where(Identity.identity == bindparam("identity"))
)


async def load_learner(session: AsyncSession, *, identity: str) -> Person | None:
    """The person behind an identity, with what a turn reads about them, in one query."""
    rows = (await session.execute(_LEARNER, {"identity": identity})).all()
    if not rows:
        return None
    person = rows[0][0]
    teams = sorted({int(r[4]) for r in rows if r[4] is not None})
    _info(session, _TEAMS)[person.id] = (teams, rows[0][5])
    kept: list[Any] = session.info.setdefault(_KEPT, [])  # the identity map holds weakly
    contexts = _info(session, _ENROLLMENTS)
    for _, enrollment, cohort, streak, _, _ in rows:
        if enrollment is not None and enrollment.id not in contexts:
            kept.append(enrollment)
            contexts[enrollment.id] = (cohort, _streak_values(streak))
    return person


def _streak_values(streak: Streak | None) -> StreakValues | None:
    if streak is None:
        return None
    return (
        streak.current or 0,
        streak.best or 0,
        streak.last_slot_at,
        streak.excused_from,
        streak.excused_until,
    )


def known_teams_and_choice(
    session: AsyncSession, *, person_id: int
) -> tuple[list[int], str | None] | None:
    """The person's teams and board choice as this session loaded them (None: not loaded)."""
    found: tuple[list[int], str | None] | None = _info(session, _TEAMS).get(person_id)
    return found


def forget_choice(session: AsyncSession, *, person_id: int) -> None:
    _info(session, _TEAMS).pop(person_id, None)


def known_context(
    session: AsyncSession, *, enrollment_id: int
) -> tuple[Cohort | None, StreakValues | None] | None:
    """An enrollment's cohort and streak as this session loaded them (None: not loaded)."""
    found: tuple[Cohort | None, StreakValues | None] | None = _info(session, _ENROLLMENTS).get(
        enrollment_id
    )
    return found


def streak_saved(session: AsyncSession, *, enrollment_id: int, values: StreakValues) -> None:
    """Keep the session's view of a streak in step with what was just written."""
    contexts = _info(session, _ENROLLMENTS)
    if enrollment_id in contexts:
        contexts[enrollment_id] = (contexts[enrollment_id][0], values)
