"""Challenges, their members, who may run them and the channels they can post in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Challenge,
    ChallengeMember,
    ChallengeStatus,
    ChannelBinding,
    RoleGrant,
    TeamsConversation,
)
from storage.queries.engagement.ledger import dialect_insert


async def roles_of(session: AsyncSession, *, person_id: int) -> tuple[bool, list[int]]:
    """(is an admin, ids of the teams the person leads)."""
    rows = await session.execute(
        select(RoleGrant.role, RoleGrant.team_id).where(
            RoleGrant.person_id == person_id, RoleGrant.role.in_(("admin", "lead"))
        )
    )
    admin, teams = False, []
    for role, team_id in rows:
        admin = admin or role == "admin"
        if role == "lead" and team_id is not None:
            teams.append(int(team_id))
    return admin, sorted(teams)


async def channel_choices(session: AsyncSession, *, workspace_id: str) -> list[str]:
    """Channels an admin bound for announcements or digests, and Teams channels we are in."""
    bound = await session.scalars(
        select(ChannelBinding.channel)
        .where(
            ChannelBinding.workspace_id == workspace_id,
            ChannelBinding.purpose.in_(("announcements", "digests")),
        )
        .order_by(ChannelBinding.purpose, ChannelBinding.program_id)
    )
    installed = await session.scalars(
        select(TeamsConversation.address)
        .where(
            TeamsConversation.workspace_id == workspace_id,
            TeamsConversation.kind == "channel",
            TeamsConversation.reachable.is_(True),
        )
        .order_by(TeamsConversation.address)
    )
    return list(dict.fromkeys([*bound, *installed]))


async def challenge(session: AsyncSession, *, challenge_id: int) -> Challenge | None:
    return await session.get(Challenge, challenge_id)


async def set_status(
    session: AsyncSession,
    *,
    challenge_id: int,
    before: tuple[ChallengeStatus, ...],
    after: ChallengeStatus,
) -> bool:
    """Move the challenge from one of `before` to `after`; False when it was not in them."""
    result = await session.execute(
        update(Challenge)
        .where(Challenge.id == challenge_id, Challenge.status.in_(before))
        .values(status=after)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def add_member(
    session: AsyncSession, *, challenge_id: int, person_id: int, at: datetime
) -> bool:
    """Join once: True when this call added the person."""
    stmt = (
        dialect_insert(session)(ChallengeMember)
        .values(challenge_id=challenge_id, person_id=person_id, joined_at=at)
        .on_conflict_do_nothing(index_elements=["challenge_id", "person_id"])
        .returning(ChallengeMember.person_id)
    )
    return (await session.execute(stmt)).scalar() is not None


async def members(session: AsyncSession, *, challenge_id: int) -> dict[int, datetime]:
    rows = await session.execute(
        select(ChallengeMember.person_id, ChallengeMember.joined_at).where(
            ChallengeMember.challenge_id == challenge_id
        )
    )
    return {int(p): joined for p, joined in rows}


async def member_count(session: AsyncSession, *, challenge_id: int) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(ChallengeMember)
        .where(ChallengeMember.challenge_id == challenge_id)
    )
    return int(found or 0)
