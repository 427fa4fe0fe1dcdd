"""The organisation model: naming people, importing them, teams, cohorts, roles, bindings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ChannelBinding,
    Cohort,
    CohortMember,
    Enrollment,
    Identity,
    Person,
    RoleGrant,
    Team,
    TeamMember,
)

EVERY_PROGRAM = "*"

# --- workspaces and channels --------------------------------------------------------


def workspace_problem(workspace_id: str) -> str | None:
    """Why `workspace_id` is not `local`, `slack:TEAM` or `teams:TENANT`; None if it is."""
    platform, _, tenant = workspace_id.partition(":")
    plain = tenant and not any(c.isspace() or c == ":" for c in tenant)
    if workspace_id == "local" or (platform in ("slack", "teams") and plain):
        return None
    return f"'{workspace_id}' is not a workspace: use local, slack:TEAM_ID or teams:TENANT_ID"


def channel_workspace(channel: str) -> str | None:
    """`slack:T1:C1` → `slack:T1`, `teams:TEN:19:x@thread` → `teams:TEN`, `local:x` → `local`.

    None when the text is no channel. Teams channel ids contain colons, so the workspace is
    the first two parts, never everything before the last colon.
    """
    if not channel or any(c.isspace() for c in channel):
        return None
    platform, _, rest = channel.partition(":")
    if platform == "local":
        return "local" if rest else None
    tenant, _, channel_id = rest.partition(":")
    if platform in ("slack", "teams") and tenant and channel_id:
        return f"{platform}:{tenant}"
    return None


# --- people -------------------------------------------------------------------------


async def people_named(
    session: AsyncSession, *, who: str, workspace_id: str | None = None
) -> list[Person]:
    """The people an identity or an e-mail names (several only for an e-mail in many workspaces)."""
    who = who.strip()
    by_identity = await session.scalar(
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(Identity.identity == who)
    )
    if by_identity is not None:
        return [by_identity]
    if "@" not in who:
        return []
    query = select(Person).where(Person.email == who.lower())
    if workspace_id is not None:
        query = query.where(Person.workspace_id == workspace_id)
    return list(await session.scalars(query.order_by(Person.workspace_id)))


async def identities_of(session: AsyncSession, *, person_id: int) -> list[str]:
    rows = await session.scalars(
        select(Identity.identity).where(Identity.person_id == person_id).order_by(Identity.id)
    )
    return list(rows)


@dataclass(frozen=True)
class PersonRecord:
    """One validated row of a people import; empty strings mean "leave as stored"."""

    email: str
    name: str = ""
    team: str = ""
    manager: str = ""


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0


async def emails_in(session: AsyncSession, *, workspace_id: str) -> set[str]:
    rows = await session.scalars(
        select(Person.email).where(Person.workspace_id == workspace_id, Person.email.is_not(None))
    )
    return {email for email in rows if email}


async def import_people(
    session: AsyncSession, *, workspace_id: str, records: Sequence[PersonRecord]
) -> ImportCounts:
    """Create or update people matched by e-mail, their team and manager (idempotent).

    In the `local` workspace a person without an identity gets `local:<email>`; elsewhere
    people are linked to their platform identity by e-mail on first contact.
    """
    counts = ImportCounts()
    people: dict[str, Person] = {}
    state: dict[str, str] = {}
    for record in records:
        email = record.email.lower()
        person = await session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.email == email)
        )
        if person is None:
            person = Person(
                workspace_id=workspace_id,
                display_name=record.name or email.split("@")[0],
                email=email,
            )
            session.add(person)
            await session.flush()
            state[email] = "created"
        else:
            state[email] = "unchanged"
        people[email] = person
        dirty = False
        if record.name and person.display_name != record.name:
            person.display_name, dirty = record.name, True
        if record.team:
            team, team_created = await ensure_team(
                session, workspace_id=workspace_id, name=record.team
            )
            counts.teams_created += team_created
            dirty = await move_to_team(session, person_id=person.id, team_id=team.id) or dirty
        if workspace_id == "local":
            dirty = await _give_local_identity(session, person=person) or dirty
        if dirty and state[email] == "unchanged":
            state[email] = "updated"
    for record in records:
        if not record.manager:
            continue
        email, boss = record.email.lower(), record.manager.lower()
        manager = people.get(boss) or await session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.email == boss)
        )
        person = people[email]
        if manager is not None and person.manager_id != manager.id:
            person.manager_id = manager.id
            if state[email] == "unchanged":
                state[email] = "updated"
    await session.flush()
    counts.created = sum(1 for s in state.values() if s == "created")
    counts.updated = sum(1 for s in state.values() if s == "updated")
    counts.unchanged = sum(1 for s in state.values() if s == "unchanged")
    return counts


async def _give_local_identity(session: AsyncSession, *, person: Person) -> bool:
    if await identities_of(session, person_id=person.id):
        return False
    identity = f"local:{person.email}"
    if await session.scalar(select(Identity.id).where(Identity.identity == identity)):
        return False
    session.add(Identity(person_id=person.id, identity=identity))
    await session.flush()
    return True


# --- teams --------------------------------------------------------------------------


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


# --- cohorts ------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRow:
    name: str
    program_id: str
    due_date: date | None
    cadence: str | None
    members: int
    completed: int


async def cohort_by_name(session: AsyncSession, *, workspace_id: str, name: str) -> Cohort | None:
    return await session.scalar(
        select(Cohort).where(Cohort.workspace_id == workspace_id, Cohort.name == name)
    )


async def create_cohort(
    session: AsyncSession,
    *,
    workspace_id: str,
    name: str,
    program_id: str,
    due_date: date | None = None,
    cadence: str | None = None,
) -> Cohort:
    cohort = Cohort(
        workspace_id=workspace_id,
        name=name,
        program_id=program_id,
        due_date=due_date,
        cadence=cadence,
    )
    session.add(cohort)
    await session.flush()
    return cohort


async def add_cohort_member(session: AsyncSession, *, cohort_id: int, person_id: int) -> bool:
    """Add the person to the cohort; False if they were already in it."""
    if await session.get(CohortMember, (cohort_id, person_id)) is not None:
        return False
    session.add(CohortMember(cohort_id=cohort_id, person_id=person_id))
    await session.flush()
    return True


async def cohort_rows(session: AsyncSession, *, workspace_id: str) -> list[CohortRow]:
    """Every cohort of the workspace with its member and completion counts."""
    members = (
        select(func.count())
        .select_from(CohortMember)
        .where(CohortMember.cohort_id == Cohort.id)
        .scalar_subquery()
    )
    completed = (
        select(func.count())
        .select_from(CohortMember)
        .join(Enrollment, Enrollment.person_id == CohortMember.person_id)
        .where(
            CohortMember.cohort_id == Cohort.id,
            Enrollment.program_id == Cohort.program_id,
            Enrollment.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Cohort, members, completed)
        .where(Cohort.workspace_id == workspace_id)
        .order_by(Cohort.name)
    )
    return [CohortRow(c.name, c.program_id, c.due_date, c.cadence, m, done) for c, m, done in rows]


# --- roles --------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    name: str
    email: str
    identity: str
    role: str
    program_id: str | None
    team: str | None


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


# --- channel bindings ---------------------------------------------------------------


@dataclass(frozen=True)
class BindingRow:
    purpose: str
    program_id: str
    channel: str


async def set_binding(
    session: AsyncSession, *, workspace_id: str, purpose: str, program_id: str, channel: str
) -> str | None:
    """Bind (or rebind) a purpose of a program to a channel; returns the previous channel."""
    binding = await session.scalar(
        select(ChannelBinding).where(
            ChannelBinding.workspace_id == workspace_id,
            ChannelBinding.purpose == purpose,
            ChannelBinding.program_id == program_id,
        )
    )
    if binding is None:
        session.add(
            ChannelBinding(
                workspace_id=workspace_id, purpose=purpose, program_id=program_id, channel=channel
            )
        )
        await session.flush()
        return None
    previous, binding.channel = binding.channel, channel
    await session.flush()
    return previous


async def binding_rows(session: AsyncSession, *, workspace_id: str) -> list[BindingRow]:
    rows = await session.scalars(
        select(ChannelBinding)
        .where(ChannelBinding.workspace_id == workspace_id)
        .order_by(ChannelBinding.purpose, ChannelBinding.program_id)
    )
    return [BindingRow(b.purpose, b.program_id, b.channel) for b in rows]


async def binding_for(
    session: AsyncSession, *, workspace_id: str, purpose: str, program_id: str
) -> str | None:
    """The channel for a program's posts of `purpose`, falling back to the `*` binding."""
    rows = await session.execute(
        select(ChannelBinding.program_id, ChannelBinding.channel).where(
            ChannelBinding.workspace_id == workspace_id,
            ChannelBinding.purpose == purpose,
            ChannelBinding.program_id.in_((program_id, EVERY_PROGRAM)),
        )
    )
    found = {program: channel for program, channel in rows}
    return found.get(program_id) or found.get(EVERY_PROGRAM)
