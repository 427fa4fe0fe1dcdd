"""`microcred cohorts create|add|list`: assign a program to a group of people."""

from __future__ import annotations

from datetime import date, datetime

import click

from bot.cli.people import label, named_person, workspace_option
from bot.cli.report import known_program, table
from bot.cli.runtime import load_catalog, run_with_db
from bot.core.errors import BadRequest, CannotProceed
from bot.learning.audit import audit
from bot.learning.cadence import parse_cadence
from bot.learning.enrollment import enroll
from storage.db import Database
from storage.models import AuditAction
from storage.queries.org import (
    CohortRow,
    add_cohort_member,
    cohort_by_name,
    cohort_rows,
    create_cohort,
)
from storage.queries.people import ensure_workspace


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@click.group("cohorts")
def cohorts_group() -> None:
    """Cohorts: people assigned one program, with a due date and cadence."""


@cohorts_group.command("create")
@click.argument("name")
@click.option("--program", "program_id", required=True, help="Program id the cohort takes.")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), help="Due date, YYYY-MM-DD.")
@click.option("--cadence", help='Delivery rhythm for the cohort, e.g. "weekdays 09:30".')
@workspace_option()
def create(
    name: str, program_id: str, due: datetime | None, cadence: str | None, workspace: str
) -> None:
    """Create the cohort NAME for a program."""
    name = name.strip()
    if not name or len(name) > 200:
        raise click.BadParameter("a cohort needs a name of 1 to 200 characters", param_hint="NAME")
    program = known_program(load_catalog(), program_id)
    due_date = due.date() if due else None
    try:
        rhythm = str(parse_cadence(cadence)) if cadence is not None else None
    except BadRequest as exc:
        raise click.BadParameter(str(exc), param_hint="'--cadence'") from exc

    async def work(db: Database) -> None:
        async with db.transaction() as session:
            await ensure_workspace(session, workspace_id=workspace)
            existing = await cohort_by_name(session, workspace_id=workspace, name=name)
            if existing is not None:
                raise BadRequest(
                    f"cohort '{name}' already exists in workspace {workspace} "
                    f"(program {existing.program_id})"
                )
            await create_cohort(
                session,
                workspace_id=workspace,
                name=name,
                program_id=program.id,
                due_date=due_date,
                cadence=rhythm,
            )
            await audit(
                session,
                AuditAction.COHORT_CREATE,
                workspace_id=workspace,
                target=f"cohort '{name}'",
                changes={
                    "before": None,
                    "after": {"program": program.id, "due": _iso(due_date), "cadence": rhythm},
                },
            )

    run_with_db(work)
    details = [f"program {program.id}"]
    details += [f"due {due_date}"] if due_date else []
    details += [f"cadence {rhythm}"] if rhythm else []
    click.echo(f"created cohort '{name}' in workspace {workspace}: {', '.join(details)}")
    if due_date and due_date < date.today():
        click.echo(f"note: the due date {due_date} is in the past", err=True)


@cohorts_group.command("add")
@click.argument("name")
@click.argument("people", nargs=-1, required=True, metavar="IDENTITY_OR_EMAIL...")
@workspace_option()
def add(name: str, people: tuple[str, ...], workspace: str) -> None:
    """Add people to the cohort NAME and enroll them in its program."""
    catalog = load_catalog()

    async def work(db: Database) -> tuple[list[str], list[str]]:
        done: list[str] = []
        failures: list[str] = []
        async with db.transaction() as session:
            cohort = await cohort_by_name(session, workspace_id=workspace, name=name)
            if cohort is None:
                names = [c.name for c in await cohort_rows(session, workspace_id=workspace)]
                there = f"cohorts: {', '.join(names)}" if names else "create one first"
                raise BadRequest(f"no cohort '{name}' in workspace {workspace}; {there}")
            program = catalog.get(cohort.program_id)
            if program is None:
                raise CannotProceed(
                    f"cohort '{name}' takes program {cohort.program_id}, which is not in the "
                    "library right now (see `microcred content validate`)"
                )
            for who in people:
                try:
                    person = await named_person(session, who=who, workspace_id=workspace)
                except BadRequest as exc:
                    failures.append(str(exc))
                    continue
                joined = await add_cohort_member(session, cohort_id=cohort.id, person_id=person.id)
                _, enrolled = await enroll(
                    session, person=person, program=program, cohort_id=cohort.id
                )
                if joined or enrolled:
                    await audit(
                        session,
                        AuditAction.COHORT_ADD,
                        workspace_id=workspace,
                        target=f"cohort '{name}'",
                        subject=person,
                        changes={"member": joined, "enrolled": enrolled, "program": program.id},
                    )
                said = "added to" if joined else "already in"
                more = (
                    f"enrolled in {program.id}" if enrolled else f"already enrolled in {program.id}"
                )
                done.append(f"{label(person)}: {said} cohort '{name}', {more}")
        return done, failures

    done, failures = run_with_db(work)
    for line in done:
        click.echo(line)
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures:
        raise SystemExit(1)


@cohorts_group.command("list")
@workspace_option()
def list_cohorts(workspace: str) -> None:
    """List the cohorts of a workspace with their members and completions."""

    async def work(db: Database) -> list[CohortRow]:
        async with db.transaction() as session:
            return await cohort_rows(session, workspace_id=workspace)

    rows = run_with_db(work)
    if not rows:
        click.echo(f"no cohorts in workspace {workspace}", err=True)
        return
    headers = ("cohort", "program", "due", "cadence", "members", "completed")
    cells = [
        (r.name, r.program_id, r.due_date or "", r.cadence or "", r.members, r.completed)
        for r in rows
    ]
    click.echo(table(headers, cells))


def register(main: click.Group) -> None:
    main.add_command(cohorts_group)
