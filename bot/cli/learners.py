"""`microcred learners export|erase`: a learner's data as JSON, or erased but for counts."""

from __future__ import annotations

import json
from typing import Any

import click

from bot.cli.people import label, named_person, workspace_option
from bot.cli.runtime import run_with_db
from bot.core.errors import CannotProceed
from storage.db import Database
from storage.queries.org import identities_of
from storage.queries.privacy import Folded, erase_person, export_person

WHO = click.argument("who", metavar="IDENTITY_OR_EMAIL")
WORKSPACE = workspace_option(None, "Workspace to find an e-mail in (default: any).")


@click.group("learners")
def learners_group() -> None:
    """A learner's personal data: export it, or erase it."""


@learners_group.command("export")
@WHO
@WORKSPACE
def export(who: str, workspace: str | None) -> None:
    """Print everything stored about a person as JSON (answers included)."""

    async def work(db: Database) -> dict[str, Any]:
        async with db.transaction() as session:
            person = await named_person(session, who=who, workspace_id=workspace)
            return await export_person(session, person_id=person.id)

    click.echo(json.dumps(run_with_db(work), indent=2, ensure_ascii=False))


@learners_group.command("erase")
@WHO
@click.option("--yes", is_flag=True, help="Erase without asking for confirmation.")
@WORKSPACE
def erase(who: str, yes: bool, workspace: str | None) -> None:
    """Erase a person: name, e-mail, identities, memberships, roles, progress and answers.

    Only anonymous counts per workspace and program remain (enrollments, completions,
    attempts, points). This cannot be undone.
    """

    async def work(db: Database) -> tuple[str, list[Folded]]:
        async with db.transaction() as session:
            person = await named_person(session, who=who, workspace_id=workspace)
            person_id, name = person.id, label(person)
            identities = ", ".join(await identities_of(session, person_id=person_id))
        shown = f"{name} ({identities})" if identities else name
        if not yes:
            click.confirm(
                f"Erase {shown} and all their learning records? Only anonymous counts remain",
                abort=True,
            )
        async with db.transaction() as session:
            folded = await erase_person(session, person_id=person_id)
            if folded is None:
                raise CannotProceed(f"{shown} was erased meanwhile")
        return shown, folded

    shown, folded = run_with_db(work)
    click.echo(f"erased {shown}")
    for f in folded:
        click.echo(
            f"kept for {f.workspace_id} / {f.program_id}: {f.enrollments} enrollment, "
            f"{f.completions} completion(s), {f.attempts} answer(s), {f.points:g} point(s)"
        )


def register(main: click.Group) -> None:
    main.add_command(learners_group)
