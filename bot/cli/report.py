"""`microcred report progress`: where everyone enrolled in a program stands, as a table or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime

import click

from bot.cli.people import workspace_option
from bot.cli.runtime import load_catalog, run_with_db
from bot.content import Catalog, Program
from bot.core.errors import BadRequest
from storage.db import Database
from storage.queries.org import cohort_by_name
from storage.queries.reports import ProgressRow, progress_rows

HEADERS = (
    "name",
    "email",
    "cohort",
    "status",
    "steps done",
    "quizzes passed",
    "pending reviews",
    "last activity",
    "completed at",
)
CSV_HEADERS = (
    "name",
    "email",
    "cohort",
    "status",
    "steps_done",
    "steps_total",
    "quizzes_passed",
    "quizzes_total",
    "pending_reviews",
    "last_activity",
    "completed_at",
)

# --- shared by the admin commands --------------------------------------------------


def known_program(catalog: Catalog, program_id: str) -> Program:
    """The program with this id, or a clear error listing the programs there are."""
    program = catalog.get(program_id)
    if program is not None:
        return program
    known = ", ".join(sorted(catalog.programs)) or "none"
    skipped = f" (skipped as invalid: {', '.join(catalog.skipped)})" if catalog.skipped else ""
    raise click.ClickException(f"unknown program '{program_id}'; known programs: {known}{skipped}")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the headers."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def short_time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


# --- the command -------------------------------------------------------------------


@click.group("report")
def report_group() -> None:
    """Reports on learning progress."""


@report_group.command("progress")
@click.option("--program", "program_id", required=True, help="Program id.")
@click.option("--cohort", help="Only the members of this cohort.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV (times in ISO 8601, UTC) for a sheet.")
@workspace_option()
def progress(program_id: str, cohort: str | None, as_csv: bool, workspace: str) -> None:
    """One row per person enrolled in PROGRAM: steps done, quizzes passed, pending reviews.

    A step is done once it has an outcome; pending reviews are answers waiting for rubric
    scoring or peer review.
    """
    program = known_program(load_catalog(), program_id)

    async def work(db: Database) -> list[ProgressRow]:
        async with db.transaction() as session:
            cohort_id = None
            if cohort is not None:
                found = await cohort_by_name(session, workspace_id=workspace, name=cohort)
                if found is None:
                    raise BadRequest(f"no cohort '{cohort}' in workspace {workspace}")
                if found.program_id != program.id:
                    raise BadRequest(f"cohort '{cohort}' is for program {found.program_id}")
                cohort_id = found.id
            return await progress_rows(
                session,
                workspace_id=workspace,
                program_id=program.id,
                step_keys=[s.key for s in program.steps],
                cohort_id=cohort_id,
            )

    rows = run_with_db(work)
    if as_csv:
        click.echo(_csv(rows), nl=False)
    elif rows:
        click.echo(table(HEADERS, [_cells(r) for r in rows]))
    if not rows:
        who = f"cohort '{cohort}'" if cohort else f"workspace {workspace}"
        click.echo(f"no one in {who} is enrolled in {program.id}", err=True)


def _cells(row: ProgressRow) -> list[object]:
    return [
        row.name,
        row.email,
        row.cohort,
        row.status,
        f"{row.steps_done}/{row.steps_total}",
        f"{row.quizzes_passed}/{row.quizzes_total}",
        row.pending_reviews,
        short_time(row.last_activity),
        short_time(row.completed_at),
    ]


def _csv(rows: Sequence[ProgressRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for r in rows:
        writer.writerow(
            [
                _safe(r.name),
                _safe(r.email),
                _safe(r.cohort),
                r.status,
                r.steps_done,
                r.steps_total,
                r.quizzes_passed,
                r.quizzes_total,
                r.pending_reviews,
                r.last_activity.astimezone(UTC).isoformat() if r.last_activity else "",
                r.completed_at.astimezone(UTC).isoformat() if r.completed_at else "",
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a name like `=HYPERLINK(…)` as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register(main: click.Group) -> None:
    main.add_command(report_group)
