"""Role grants, optionally scoped to a program or a team."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Identity,
    Person,
    RoleGrant,
    Team,
)


@dataclass(frozen=True)
class RoleRow:
    name: str
    email: str
    identity: str
    role: str
    program_id: str | None
    team: str | None


async def roles_held(session: AsyncSession, *, person_id: int) -> set[str]:
    """The names of the roles a person holds in any scope (`admin`, `lead`, `reviewer`)."""
    rows = await session.scalars(
        select(RoleGrant.role).where(RoleGrant.person_id == person_id).distinct()
    )
    return set(rows)


async def find_grant(
    session: AsyncSession, *, person_id: int, role: str, program_id: str | None, team_id: int | None
) -> RoleGrant | None:
    return await session.scalar(
        select(RoleGrant).where(
            RoleGrant.person_id == person_id,
            RoleGrant.role == role,
            RoleGrant.program_id.is_(None)
            if program_id is None
            else RoleGrant.program_id == program_id,
            RoleGrant.team_id.is_(None) if team_id is None else RoleGrant.team_id == team_id,
        )
    )


async def grant_role(
    session: AsyncSession,
    *,
    person: Person,
    role: str,
    program_id: str | None = None,
    team: Team | None = None,
) -> tuple[bool, int | None]:
    """Grant a role; returns (newly granted, id of the lead it replaced on the team).

    A team has one lead: granting `lead` on a team sets `Team.lead_id` and revokes the
    previous lead's grant for that team.
    """
    team_id = team.id if team is not None else None
    replaced: int | None = None
    if role == "lead" and team is not None and team.lead_id not in (None, person.id):
        replaced = team.lead_id
        await session.execute(
            delete(RoleGrant).where(
                RoleGrant.role == "lead",
                RoleGrant.team_id == team.id,
                RoleGrant.person_id == replaced,
            )
        )
    if role == "lead" and team is not None:
        team.lead_id = person.id
    existing = await find_grant(
        session, person_id=person.id, role=role, program_id=program_id, team_id=team_id
    )
    if existing is None:
        session.add(
            RoleGrant(
                workspace_id=person.workspace_id,
                person_id=person.id,
                role=role,
                program_id=program_id,
                team_id=team_id,
            )
        )
    await session.flush()
    return existing is None, replaced


async def revoke_role(
    session: AsyncSession,
    *,
    person: Person,
    role: str,
    program_id: str | None = None,
    team: Team | None = None,
) -> bool:
    """Revoke a role; False if the person did not have it. Revoking a team's lead clears it."""
    grant = await find_grant(
        session,
        person_id=person.id,
        role=role,
        program_id=program_id,
        team_id=team.id if team is not None else None,
    )
    if grant is None:
        return False
    await session.delete(grant)
    if role == "lead" and team is not None and team.lead_id == person.id:
        team.lead_id = None
    await session.flush()
    return True


async def role_rows(
    session: AsyncSession, *, workspace_id: str, person_id: int | None = None
) -> list[RoleRow]:
    """The role grants of a workspace (or of one person in it), by role and name."""
    first_identity = (
        select(func.min(Identity.identity)).where(Identity.person_id == Person.id).scalar_subquery()
    )
    query = (
        select(Person.display_name, Person.email, first_identity, RoleGrant, Team.name)
        .join(Person, Person.id == RoleGrant.person_id)
        .outerjoin(Team, Team.id == RoleGrant.team_id)
        .where(RoleGrant.workspace_id == workspace_id)
        .order_by(RoleGrant.role, Person.display_name, RoleGrant.id)
    )
    if person_id is not None:
        query = query.where(RoleGrant.person_id == person_id)
    rows = await session.execute(query)
    return [
        RoleRow(name, email or "", identity or "", g.role, g.program_id, team)
        for name, email, identity, g, team in rows
    ]
