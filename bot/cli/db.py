"""`microcred db …`: schema migrations."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from bot.cli.runtime import settings
from storage import migrate
from storage.db import redact


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = settings().database_url
    try:
        migrate.upgrade(url, revision)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise click.ClickException(f"cannot reach the database {redact(url)}: {reason}") from exc
    click.echo(f"database {redact(url)} is at revision {revision}")


def register(main: click.Group) -> None:
    main.add_command(db_group)
