"""Teams and their members."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Team,
    TeamMember,
)


async def team_by_name(session: AsyncSession, *, workspace_id: str, name: str) -> Team | None:
    return await session.scalar(
        select(Team).where(Team.workspace_id == workspace_id, Team.name == name)
    )


async def team_names(session: AsyncSession, *, workspace_id: str) -> list[str]:
    rows = await session.scalars(
        select(Team.name).where(Team.workspace_id == workspace_id).order_by(Team.name)
    )
    return list(rows)


async def ensure_team(session: AsyncSession, *, workspace_id: str, name: str) -> tuple[Team, bool]:
    team = await team_by_name(session, workspace_id=workspace_id, name=name)
    if team is not None:
        return team, False
    team = Team(workspace_id=workspace_id, name=name)
    session.add(team)
    await session.flush()
    return team, True


async def move_to_team(session: AsyncSession, *, person_id: int, team_id: int) -> bool:
    """Make `team_id` the person's only team; True if anything changed."""
    current = set(
        await session.scalars(select(TeamMember.team_id).where(TeamMember.person_id == person_id))
    )
    if current == {team_id}:
        return False
    await session.execute(
        delete(TeamMember).where(TeamMember.person_id == person_id, TeamMember.team_id != team_id)
    )
    if team_id not in current:
        session.add(TeamMember(team_id=team_id, person_id=person_id))
    await session.flush()
    return True


async def first_team_of(session: AsyncSession, *, person_id: int) -> Team | None:
    """The person's team (the first by name, should they be in several)."""
    return await session.scalar(
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.person_id == person_id)
        .order_by(Team.name)
        .limit(1)
    )
