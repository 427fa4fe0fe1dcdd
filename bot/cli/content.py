"""`microcred content …`: validate and list the program library."""

from __future__ import annotations

from pathlib import Path

import click

from bot.assessment.guessing import guessing_warnings
from bot.cli.runtime import settings
from bot.content import Catalog, validate_library


@click.group("content")
def content_group() -> None:
    """Program files."""


@content_group.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
def validate(path: Path | None) -> None:
    """Check every program under PATH (default: the bundled library)."""
    root = path or settings().content_dir
    catalog, problems = validate_library(root)
    for problem in problems:
        click.echo(str(problem))
    for warning in warnings(root, catalog):
        click.echo(warning)
    count = len(catalog.programs)
    if problems:
        click.echo(f"{len(problems)} problem(s); {count} valid program(s)", err=True)
        raise SystemExit(1)
    click.echo(f"{count} program(s) valid: {', '.join(sorted(catalog.programs))}")


def _quiz_file(root: Path, program_id: str, quiz_id: str) -> tuple[Path, int]:
    """The file that defines a quiz, and the line of its pass mark (else 1)."""
    for path in sorted((root / "quizzes" / program_id).glob("*.y*ml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if f"id: {quiz_id}" in (line.strip() for line in lines):
            line = next((i + 1 for i, t in enumerate(lines) if t.startswith("pass_mark:")), 1)
            return path, line
    return root / "quizzes" / program_id, 1


def warnings(root: Path, catalog: Catalog) -> list[str]:
    """`file:line: warning: …` for what is valid but weak, such as a guessable graded quiz."""
    found = []
    for program in catalog:
        for quiz_id, message in guessing_warnings(program):
            path, line = _quiz_file(root, program.id, quiz_id)
            found.append(f"{path}:{line}: warning: {message}")
    return found


@content_group.command("list")
def list_programs() -> None:
    """List the valid programs with their steps."""
    catalog, _ = validate_library(settings().content_dir)
    for program in catalog:
        click.echo(
            f"{program.id}  {program.title}  ({len(program.steps)} steps, hash {program.hash})"
        )


def register(main: click.Group) -> None:
    main.add_command(content_group)
