"""`microcred roles grant|revoke|list`: admins, team leads, reviewers and learners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.people import label, named_person, workspace_option
from bot.cli.report import known_program, table
from bot.cli.runtime import load_catalog, run_with_db
from bot.core.errors import BadRequest
from bot.learning.audit import audit
from storage.db import Database
from storage.models import AuditAction, Person, Team
from storage.models.org import ROLES
from storage.queries.org import (
    RoleRow,
    grant_role,
    revoke_role,
    role_rows,
    team_by_name,
    team_names,
)


def scope_text(program_id: str | None, team: str | None) -> str:
    if program_id:
        return f" (program {program_id})"
    return f" (team {team})" if team else ""


def check_scope(role: str, program_id: str | None, team: str | None) -> None:
    """Reviewers may be scoped to a program, leads to a team; nothing else is scoped."""
    if program_id is not None and role != "reviewer":
        raise click.UsageError(f"--program scopes the reviewer role only, not {role}")
    if team is not None and role != "lead":
        raise click.UsageError(f"--team scopes the lead role only, not {role}")


async def _audit(
    session: AsyncSession,
    action: AuditAction,
    person: Person,
    role: str,
    program_id: str | None,
    team: str | None,
) -> None:
    held = {"role": role, "program": program_id, "team": team}
    granted = action is AuditAction.ROLE_GRANT
    await audit(
        session,
        action,
        workspace_id=person.workspace_id,
        target=f"role {role}{scope_text(program_id, team)}",
        subject=person,
        changes={"before": None if granted else held, "after": held if granted else None},
    )


async def _team(session: AsyncSession, person: Person, name: str | None) -> Team | None:
    if name is None:
        return None
    team = await team_by_name(session, workspace_id=person.workspace_id, name=name)
    if team is None:
        names = await team_names(session, workspace_id=person.workspace_id)
        there = f"teams: {', '.join(names)}" if names else "import people with teams first"
        raise BadRequest(f"no team '{name}' in workspace {person.workspace_id}; {there}")
    return team


def _role_arguments(command: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(
        (
            click.argument("who", metavar="IDENTITY_OR_EMAIL"),
            click.argument("role", type=click.Choice(ROLES, case_sensitive=False)),
            click.option("--program", "program_id", help="Program a reviewer reviews."),
            click.option("--team", help="Team a lead leads."),
            workspace_option(None, "Workspace to find an e-mail in (default: any)."),
        )
    ):
        command = decorate(command)
    return command


@click.group("roles")
def roles_group() -> None:
    """Roles: admin, lead (of a team), reviewer (of a program), learner."""


@roles_group.command("grant")
@_role_arguments
def grant(
    who: str, role: str, program_id: str | None, team: str | None, workspace: str | None
) -> None:
    """Grant ROLE to a person; `lead --team T` also makes them the team's lead."""
    role = role.lower()
    check_scope(role, program_id, team)
    if program_id is not None:
        known_program(load_catalog(), program_id)

    async def work(db: Database) -> list[str]:
        async with db.transaction() as session:
            person = await named_person(session, who=who, workspace_id=workspace)
            found = await _team(session, person, team)
            created, replaced = await grant_role(
                session, person=person, role=role, program_id=program_id, team=found
            )
            what = f"{role}{scope_text(program_id, team)}"
            if created:
                await _audit(session, AuditAction.ROLE_GRANT, person, role, program_id, team)
            said = [
                f"granted {what} to {label(person)}"
                if created
                else f"{label(person)} already has {what}"
            ]
            if replaced is not None:
                previous = await session.get(Person, replaced)
                if previous is not None:
                    await _audit(session, AuditAction.ROLE_REVOKE, previous, role, None, team)
                said.append(
                    f"{label(previous) if previous else 'someone'} is no longer lead of team {team}"
                )
            return said

    for line in run_with_db(work):
        click.echo(line)


@roles_group.command("revoke")
@_role_arguments
def revoke(
    who: str, role: str, program_id: str | None, team: str | None, workspace: str | None
) -> None:
    """Revoke ROLE (with the same scope it was granted with) from a person."""
    role = role.lower()
    check_scope(role, program_id, team)

    async def work(db: Database) -> str:
        async with db.transaction() as session:
            person = await named_person(session, who=who, workspace_id=workspace)
            found = await _team(session, person, team)
            what = f"{role}{scope_text(program_id, team)}"
            if await revoke_role(
                session, person=person, role=role, program_id=program_id, team=found
            ):
                await _audit(session, AuditAction.ROLE_REVOKE, person, role, program_id, team)
                return f"revoked {what} from {label(person)}"
            held = await role_rows(session, workspace_id=person.workspace_id, person_id=person.id)
            has = ", ".join(f"{r.role}{scope_text(r.program_id, r.team)}" for r in held)
            raise BadRequest(
                f"{label(person)} does not have {what}; they have: {has or 'no roles'}"
            )

    click.echo(run_with_db(work))


@roles_group.command("list")
@workspace_option()
def list_roles(workspace: str) -> None:
    """List who holds which role in a workspace."""

    async def work(db: Database) -> list[RoleRow]:
        async with db.transaction() as session:
            return await role_rows(session, workspace_id=workspace)

    rows = run_with_db(work)
    if not rows:
        click.echo(f"no roles granted in workspace {workspace}", err=True)
        return
    cells = [
        (r.role, r.name, r.email or r.identity, scope_text(r.program_id, r.team).strip(" ()"))
        for r in rows
    ]
    click.echo(table(("role", "name", "e-mail or identity", "scope"), cells))


def register(main: click.Group) -> None:
    main.add_command(roles_group)
