"""The organisation queries on SQLite and PostgreSQL: naming, import, roles, bindings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Person, RoleGrant, Team, TeamMember
from storage.queries.org import (
    PersonRecord,
    binding_for,
    channel_workspace,
    ensure_team,
    grant_role,
    import_people,
    people_named,
    revoke_role,
    role_rows,
    set_binding,
    workspace_problem,
)
from storage.queries.people import ensure_person, ensure_workspace


def test_channel_workspace_keeps_colons_of_teams_channel_ids() -> None:
    assert channel_workspace("slack:T1:C42") == "slack:T1"
    assert channel_workspace("teams:tenant-1:19:abc@thread.tacv2") == "teams:tenant-1"
    assert channel_workspace("local:general") == "local"
    for bad in ("slack:T1", "general", "irc:x:y", "local:", "slack:T1:my channel", ""):
        assert channel_workspace(bad) is None, bad


def test_workspace_problem_names_the_accepted_forms() -> None:
    assert workspace_problem("local") is None
    assert workspace_problem("slack:T1") is None
    assert workspace_problem("teams:abc") is None
    problem = workspace_problem("slack")
    assert problem is not None and "slack:TEAM_ID" in problem
    assert workspace_problem("discord:x") is not None


async def test_people_are_named_by_identity_or_email_per_workspace(database: Database) -> None:
    async with database.transaction() as session:
        ann = await ensure_person(session, identity="slack:T1:U1", email="Ann@Example.com")
        other = await ensure_person(session, identity="slack:T2:U9", email="ann@example.com")
        assert await people_named(session, who="slack:T1:U1") == [ann]
        both = await people_named(session, who="ANN@example.com")
        assert {p.id for p in both} == {ann.id, other.id}
        assert await people_named(session, who="ann@example.com", workspace_id="slack:T2") == [
            other
        ]
        assert await people_named(session, who="nobody") == []


async def test_import_is_idempotent_and_links_teams_and_managers(database: Database) -> None:
    records = [
        PersonRecord("dana@example.com", "Dana", "Platform", ""),
        PersonRecord("eli@example.com", "Eli", "Platform", "dana@example.com"),
    ]
    async with database.transaction() as session:
        await ensure_workspace(session, workspace_id="local")
        first = await import_people(session, workspace_id="local", records=records)
    async with database.transaction() as session:
        again = await import_people(session, workspace_id="local", records=records)
    assert (first.created, first.updated, first.teams_created) == (2, 0, 1)
    assert (again.created, again.updated, again.unchanged, again.teams_created) == (0, 0, 2, 0)
    async with database.transaction() as session:
        eli = (await people_named(session, who="local:eli@example.com"))[0]
        dana = (await people_named(session, who="dana@example.com"))[0]
        assert eli.manager_id == dana.id
        members = await session.scalars(select(TeamMember.person_id))
        assert set(members) == {eli.id, dana.id}
        moved = await import_people(
            session,
            workspace_id="local",
            records=[PersonRecord("eli@example.com", "Eli Park", "Security", "")],
        )
        assert (moved.updated, moved.teams_created) == (1, 1)
        teams = await session.execute(
            select(Team.name).join(TeamMember).where(TeamMember.person_id == eli.id)
        )
        assert [name for (name,) in teams] == ["Security"]
        assert (await session.get(Person, eli.id)).display_name == "Eli Park"  # type: ignore[union-attr]


async def test_a_team_has_one_lead(database: Database) -> None:
    async with database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann")
        bob = await ensure_person(session, identity="local:bob")
        team, _ = await ensure_team(session, workspace_id="local", name="Platform")
        assert await grant_role(session, person=ann, role="lead", team=team) == (True, None)
        assert await grant_role(session, person=bob, role="lead", team=team) == (True, ann.id)
        assert team.lead_id == bob.id
        leads = await session.scalars(select(RoleGrant.person_id).where(RoleGrant.role == "lead"))
        assert list(leads) == [bob.id]
        assert await revoke_role(session, person=bob, role="lead", team=team)
        assert team.lead_id is None
        assert not await revoke_role(session, person=bob, role="lead", team=team)


async def test_unscoped_grants_are_not_duplicated(database: Database) -> None:
    async with database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann")
        assert (await grant_role(session, person=ann, role="admin"))[0]
        assert not (await grant_role(session, person=ann, role="admin"))[0]
        await grant_role(session, person=ann, role="reviewer", program_id="tiny")
        rows = await role_rows(session, workspace_id="local")
        assert [(r.role, r.program_id) for r in rows] == [("admin", None), ("reviewer", "tiny")]


@pytest.mark.parametrize(
    ("program", "expected"),
    [("tiny", "slack:T1:C-tiny"), ("other", "slack:T1:C-all"), ("unbound", "slack:T1:C-all")],
)
async def test_binding_for_falls_back_to_every_program(
    database: Database, program: str, expected: str
) -> None:
    async with database.transaction() as session:
        await ensure_workspace(session, workspace_id="slack:T1")
        await ensure_workspace(session, workspace_id="slack:T2")
        await set_binding(
            session,
            workspace_id="slack:T1",
            purpose="reviews",
            program_id="*",
            channel="slack:T1:C-all",
        )
        await set_binding(
            session,
            workspace_id="slack:T1",
            purpose="reviews",
            program_id="tiny",
            channel="slack:T1:C-tiny",
        )
        found = await binding_for(
            session, workspace_id="slack:T1", purpose="reviews", program_id=program
        )
        assert found == expected
        assert (
            await binding_for(
                session, workspace_id="slack:T1", purpose="digests", program_id=program
            )
            is None
        )
        assert (
            await binding_for(
                session, workspace_id="slack:T2", purpose="reviews", program_id=program
            )
            is None
        )
