"""Who may review a program's portfolios: badge holders, named reviewers, leads, admins."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    UNDER_REVIEW,
    AssignmentStatus,
    BadgeAward,
    Identity,
    PeerAssignment,
    PeerSubmission,
    Person,
    ReviewerStatus,
    RoleGrant,
    Team,
    TeamMember,
)


async def badge_holders(
    session: AsyncSession, *, workspace_id: str, program_id: str, now: datetime
) -> set[int]:
    """People of the workspace holding the program's badge (not revoked, not expired)."""
    rows = await session.scalars(
        select(BadgeAward.person_id).where(
            BadgeAward.workspace_id == workspace_id,
            BadgeAward.program_id == program_id,
            BadgeAward.person_id.is_not(None),
            BadgeAward.revoked_at.is_(None),
            or_(BadgeAward.expires_at.is_(None), BadgeAward.expires_at > now),
        )
    )
    return {int(p) for p in rows if p is not None}


async def named_reviewers(session: AsyncSession, *, workspace_id: str, program_id: str) -> set[int]:
    """People with the reviewer role for this program (or for every program)."""
    rows = await session.scalars(
        select(RoleGrant.person_id).where(
            RoleGrant.workspace_id == workspace_id,
            RoleGrant.role == "reviewer",
            or_(RoleGrant.program_id.is_(None), RoleGrant.program_id == program_id),
        )
    )
    return set(rows)


async def team_leads(session: AsyncSession, *, person_id: int) -> list[int]:
    """The leads of the teams a person belongs to."""
    rows = await session.scalars(
        select(Team.lead_id)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.person_id == person_id, Team.lead_id.is_not(None))
        .order_by(Team.id)
    )
    return [int(r) for r in rows if r is not None]


async def admins(session: AsyncSession, *, workspace_id: str) -> set[int]:
    rows = await session.scalars(
        select(RoleGrant.person_id).where(
            RoleGrant.workspace_id == workspace_id, RoleGrant.role == "admin"
        )
    )
    return set(rows)


async def unavailable(
    session: AsyncSession, *, person_ids: Collection[int], now: datetime
) -> set[int]:
    """Who opted out of reviewing or paused it until later."""
    if not person_ids:
        return set()
    rows = await session.scalars(
        select(ReviewerStatus.person_id).where(
            ReviewerStatus.person_id.in_(list(person_ids)),
            or_(ReviewerStatus.opted_out.is_(True), ReviewerStatus.paused_until > now),
        )
    )
    return set(rows)


async def open_reviews(session: AsyncSession, *, person_ids: Collection[int]) -> dict[int, int]:
    """How many undecided submissions each person is assigned to."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(PeerAssignment.reviewer_id, func.count())
        .join(PeerSubmission, PeerSubmission.id == PeerAssignment.submission_id)
        .where(
            PeerAssignment.reviewer_id.in_(list(person_ids)),
            PeerAssignment.status == AssignmentStatus.ACTIVE,
            PeerSubmission.status.in_(UNDER_REVIEW),
        )
        .group_by(PeerAssignment.reviewer_id)
    )
    return {int(person): int(count) for person, count in rows}


async def people_with_identity(
    session: AsyncSession, *, person_ids: Collection[int], workspace_id: str
) -> dict[int, tuple[Person, str]]:
    """The people (of the workspace) and their identity on its platform, by id."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person, Identity.identity)
        .join(Identity, Identity.person_id == Person.id)
        .where(Person.id.in_(list(person_ids)), Person.workspace_id == workspace_id)
        .order_by(Identity.id)
    )
    found: dict[int, tuple[Person, str]] = {}
    for person, identity in rows:
        if identity.startswith(workspace_id + ":") and person.id not in found:
            found[person.id] = (person, identity)
    return found


async def identity_of(session: AsyncSession, *, person: Person) -> str | None:
    found = await people_with_identity(
        session, person_ids=[person.id], workspace_id=person.workspace_id
    )
    return found[person.id][1] if person.id in found else None
