"""`microcred learners export|erase|retake`: a learner's data, its erasure, another go at a quiz."""

from __future__ import annotations

import json
from typing import Any

import click

from bot.cli.people import label, named_person, workspace_option
from bot.cli.report import known_program
from bot.cli.runtime import load_catalog, run_with_db
from bot.core.errors import CannotProceed
from bot.learning.runs import MAX_GRANTED_RUNS, RetakeGranted, grant_runs
from storage.db import Database
from storage.queries.org import identities_of
from storage.queries.privacy import Folded, erase_person, export_person

WHO = click.argument("who", metavar="IDENTITY_OR_EMAIL")
WORKSPACE = workspace_option(None, "Workspace to find an e-mail in (default: any).")


@click.group("learners")
def learners_group() -> None:
    """A learner's personal data (export it, or erase it), and another go at a quiz."""


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


@learners_group.command("retake")
@WHO
@click.argument("program_id", metavar="PROGRAM")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--reason", required=True, help="Why they get another go (kept in the audit log).")
@click.option(
    "--runs",
    type=click.IntRange(1, MAX_GRANTED_RUNS),
    default=1,
    show_default=True,
    help="How many more runs to grant.",
)
@WORKSPACE
def retake(
    who: str, program_id: str, quiz_id: str, reason: str, runs: int, workspace: str | None
) -> None:
    """Grant a learner who has used every run of QUIZ in PROGRAM more runs of it.

    The bot tells such a learner "Ask your learning admin if you need another go." After the
    grant their next `retake QUIZ` in chat starts a new run, with other questions where the
    quiz has them and without waiting for the quiz's cool-down. Refused while they still have
    runs left. Recorded in the audit log (`microcred audit list`) with the reason.
    """
    if not reason.strip():
        raise click.ClickException("give a --reason: it is kept in the audit log with the grant")
    program = known_program(load_catalog(), program_id)

    async def work(db: Database) -> tuple[str, RetakeGranted]:
        async with db.transaction() as session:
            person = await named_person(session, who=who, workspace_id=workspace)
            granted = await grant_runs(
                session, person=person, program=program, quiz_id=quiz_id, runs=runs, reason=reason
            )
            return label(person), granted

    name, granted = run_with_db(work)
    plural = "s" if granted.runs != 1 else ""
    click.echo(
        f"granted {name} {granted.runs} more run{plural} of {granted.quiz_title} "
        f"({granted.program_id}/{granted.quiz_id}; {granted.allowed_after} runs allowed in all): "
        f"they can type `retake {granted.quiz_id}` now"
    )


def register(main: click.Group) -> None:
    main.add_command(learners_group)
