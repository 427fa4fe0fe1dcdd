"""Workspaces, people and their platform identities."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity, Person, Workspace
from storage.queries.learner import load_learner


def workspace_of(identity: str) -> str:
    """`slack:T1:U1` → `slack:T1`; `local:ann` → `local`."""
    head, _, _ = identity.rpartition(":")
    if not head:
        raise ValueError(f"'{identity}' is not an identity like local:NAME or slack:TEAM:USER")
    return head


async def ensure_workspace(session: AsyncSession, *, workspace_id: str) -> Workspace:
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        workspace = Workspace(id=workspace_id, platform=workspace_id.split(":", 1)[0], name="")
        session.add(workspace)
        await session.flush()
    return workspace


async def person_by_identity(session: AsyncSession, *, identity: str) -> Person | None:
    return await session.scalar(
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(Identity.identity == identity)
    )


async def person_by_email(session: AsyncSession, *, workspace_id: str, email: str) -> Person | None:
    return await session.scalar(
        select(Person).where(Person.workspace_id == workspace_id, Person.email == email.lower())
    )


async def ensure_person(
    session: AsyncSession,
    *,
    identity: str,
    display_name: str = "",
    email: str = "",
    timezone: str = "",
    locale: str = "",
) -> Person:
    """The person behind an identity, created on first contact (matched by e-mail if known);
    what their turn reads about them comes in the same query (`storage/queries/learner.py`)."""
    person = await load_learner(session, identity=identity)
    workspace_id = workspace_of(identity)
    if person is None:
        await ensure_workspace(session, workspace_id=workspace_id)
        if email:
            person = await person_by_email(session, workspace_id=workspace_id, email=email)
        if person is None:
            name = display_name or identity.rsplit(":", 1)[1]
            person = Person(
                workspace_id=workspace_id,
                display_name=name,
                email=email.lower() or None,
                timezone=timezone,
                locale=locale,
            )
            session.add(person)
            await session.flush()
        session.add(Identity(person_id=person.id, identity=identity))
        await session.flush()
    if timezone and not person.timezone:
        person.timezone = timezone
    if email and not person.email:
        person.email = email.lower()
    return person


async def people_by_id(session: AsyncSession, *, person_ids: Collection[int]) -> dict[int, Person]:
    """These people, by id."""
    return {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(person_ids)))}


async def workspaces_of(session: AsyncSession, *, person_ids: Collection[int]) -> dict[int, str]:
    """Each person's workspace id, by person id."""
    rows = await session.execute(
        select(Person.id, Person.workspace_id).where(Person.id.in_(person_ids))
    )
    return {person_id: workspace_id for person_id, workspace_id in rows}


async def identities_by_person(
    session: AsyncSession, *, person_ids: Collection[int]
) -> dict[int, list[str]]:
    """Every identity of these people, by person id."""
    rows = await session.execute(
        select(Identity.person_id, Identity.identity).where(Identity.person_id.in_(person_ids))
    )
    found: dict[int, list[str]] = {}
    for person_id, identity in rows:
        found.setdefault(person_id, []).append(identity)
    return found


async def schedule_settings(
    session: AsyncSession, *, person_ids: Collection[int]
) -> list[tuple[int, str | None, str, str | None]]:
    """(id, cadence, time zone, quiet hours) of these people."""
    rows = await session.execute(
        select(Person.id, Person.cadence, Person.timezone, Person.quiet_hours).where(
            Person.id.in_(person_ids)
        )
    )
    return [(pid, cadence, zone, quiet) for pid, cadence, zone, quiet in rows]
