"""People by identity or e-mail, and importing people from a CSV file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Identity,
    Person,
)
from storage.queries.org.teams import ensure_team, move_to_team


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
