"""`microcred people import`: people, teams and managers from a CSV file; naming people."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runtime import run_with_db
from bot.core.errors import BadRequest
from storage.db import Database
from storage.models import Person
from storage.queries.org import (
    ImportCounts,
    PersonRecord,
    emails_in,
    import_people,
    people_named,
    workspace_problem,
)
from storage.queries.people import ensure_workspace

F = TypeVar("F", bound=Callable[..., Any])
COLUMNS = ("email", "name", "team", "manager")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")
LIMITS = {"email": 320, "name": 200, "team": 200, "manager": 320}

# --- shared by the admin commands --------------------------------------------------


def _check_workspace(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (problem := workspace_problem(value)):
        raise click.BadParameter(problem)
    return value


def workspace_option(default: str | None = "local", help: str | None = None) -> Callable[[F], F]:
    """`--workspace local|slack:TEAM|teams:TENANT`, validated."""
    return click.option(
        "--workspace",
        default=default,
        show_default=default is not None,
        callback=_check_workspace,
        help=help or "Workspace: local, slack:TEAM_ID or teams:TENANT_ID.",
    )


def label(person: Person) -> str:
    return f"{person.display_name} <{person.email}>" if person.email else person.display_name


async def named_person(
    session: AsyncSession, *, who: str, workspace_id: str | None = None
) -> Person:
    """The one person an identity or e-mail names (in `workspace_id` if given), or BadRequest."""
    found = await people_named(session, who=who, workspace_id=workspace_id)
    if len(found) > 1:
        where = ", ".join(p.workspace_id for p in found)
        raise BadRequest(
            f"'{who}' is an e-mail in several workspaces ({where}): add --workspace or name "
            "the person by identity"
        )
    if not found:
        where = f" in workspace {workspace_id}" if workspace_id else ""
        raise BadRequest(
            f"no one is known as '{who}'{where}: give an identity like local:NAME or "
            "slack:TEAM:USER, or an e-mail added with `microcred people import`"
        )
    person = found[0]
    if workspace_id is not None and person.workspace_id != workspace_id:
        raise BadRequest(f"'{who}' belongs to workspace {person.workspace_id}, not {workspace_id}")
    return person


# --- the CSV file --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int
    record: PersonRecord


def read_people_csv(path: Path) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows that passed the checks one row allows, and (line, problem) for the others."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    columns: list[str] | None = None
    seen: dict[str, int] = {}
    end = 0
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns, header = _columns(cells, line, problems)
                if not columns:
                    raise BadRequest(
                        f"{path}:{line}: the first line must name the columns "
                        f"{','.join(COLUMNS)} (an 'email' column is required)"
                    )
                if header:
                    continue
            values = {name: cell.strip() for name, cell in zip(columns, cells, strict=False)}
            record = PersonRecord(
                email=values.get("email", "").lower(),
                name=values.get("name", ""),
                team=values.get("team", ""),
                manager=values.get("manager", "").lower(),
            )
            problem = _row_problem(record, seen)
            if problem:
                problems.append((line, problem))
            else:
                seen[record.email] = line
                rows.append(Row(line, record))
    except csv.Error as exc:
        problems.append((end + 1, f"not readable as CSV: {exc}"))
    return rows, problems


def _columns(
    cells: list[str], line: int, problems: list[tuple[int, str]]
) -> tuple[list[str], bool]:
    """The header's column names, the documented order for a file without one, or none."""
    names = [cell.strip().lower().replace("e-mail", "email") for cell in cells]
    if "email" not in names:
        return (list(COLUMNS), False) if EMAIL.match(names[0]) else ([], False)
    for name in names:
        if name and name not in COLUMNS:
            problems.append(
                (line, f"unknown column '{name}' ignored (columns: {','.join(COLUMNS)})")
            )
    return names, True


def _row_problem(record: PersonRecord, seen: dict[str, int]) -> str | None:
    if not record.email:
        return "missing e-mail"
    if not EMAIL.match(record.email):
        return f"'{record.email}' is not an e-mail address"
    if record.email in seen:
        return f"{record.email} is already on line {seen[record.email]}; row skipped"
    if record.manager and not EMAIL.match(record.manager):
        return f"manager '{record.manager}' is not an e-mail address"
    if record.manager == record.email:
        return "a person cannot be their own manager"
    for field, limit in LIMITS.items():
        if len(getattr(record, field)) > limit:
            return f"{field} is longer than {limit} characters"
    return None


def without_unknown_managers(
    rows: list[Row], known: set[str], workspace_id: str
) -> tuple[list[Row], list[tuple[int, str]]]:
    """Drop rows whose manager is neither a good row nor stored, until none is left to drop."""
    problems: list[tuple[int, str]] = []
    while True:
        emails = known | {row.record.email for row in rows}
        bad = [r for r in rows if r.record.manager and r.record.manager not in emails]
        if not bad:
            return rows, problems
        for row in bad:
            problems.append(
                (
                    row.line,
                    f"manager {row.record.manager} is neither in this file nor in workspace "
                    f"{workspace_id}; row skipped",
                )
            )
        rows = [r for r in rows if r not in bad]


# --- the command -------------------------------------------------------------------


@click.group("people")
def people_group() -> None:
    """People of a workspace."""


@people_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option()
def import_command(file: Path, workspace: str) -> None:
    """Create or update people from FILE.csv with the columns email,name,team,manager.

    People are matched by e-mail within the workspace, so importing the same file again
    changes nothing. TEAM is the person's only team (created if new; naming another team
    moves them); MANAGER is the manager's e-mail, in the file or already imported. An empty
    cell leaves what is stored. In the local workspace each new person gets the identity
    local:EMAIL; in a Slack or Teams workspace people are linked to their account by e-mail
    when they first talk to the bot. Bad rows are reported as FILE:LINE: message and
    skipped; the others are imported and the exit code is 1.
    """
    try:
        rows, problems = read_people_csv(file)
    except BadRequest as exc:
        raise click.ClickException(str(exc)) from exc

    async def work(db: Database) -> ImportCounts:
        nonlocal rows
        async with db.transaction() as session:
            await ensure_workspace(session, workspace_id=workspace)
            known = await emails_in(session, workspace_id=workspace)
            rows, late = without_unknown_managers(rows, known, workspace)
            problems.extend(late)
            return await import_people(
                session, workspace_id=workspace, records=[r.record for r in rows]
            )

    counts = run_with_db(work)
    for line, message in sorted(problems):
        click.echo(f"{file}:{line}: {message}", err=True)
    click.echo(
        f"workspace {workspace}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged; {counts.teams_created} new team(s)"
    )
    if problems:
        click.echo(f"{len(problems)} problem(s) in {file}", err=True)
        raise SystemExit(1)


def register(main: click.Group) -> None:
    main.add_command(people_group)
