"""`microcred content …`: validate and list the program library."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.runtime import settings
from bot.content import validate_library


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
    count = len(catalog.programs)
    if problems:
        click.echo(f"{len(problems)} problem(s); {count} valid program(s)", err=True)
        raise SystemExit(1)
    click.echo(f"{count} program(s) valid: {', '.join(sorted(catalog.programs))}")


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
