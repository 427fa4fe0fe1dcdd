"""`microcred db …`: schema migrations."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from bot.cli.runtime import settings
from bot.settings import Settings
from storage import migrate
from storage.db import redact
from storage.encryption import SecretKeyMissing, create_key_file


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    current = settings()
    url = current.database_url
    try:
        migrate.upgrade(url, revision, secret_keys=_keys(current))
    except SecretKeyMissing as exc:
        raise click.ClickException(str(exc)) from exc
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise click.ClickException(f"cannot reach the database {redact(url)}: {reason}") from exc
    click.echo(f"database {redact(url)} is at revision {revision}")


def _keys(current: Settings) -> tuple[str, ...]:
    """The secret keys; the default SQLite setup gets a key file on first start."""
    if current.secret_keys or not current.default_database:
        return current.secret_keys
    key = create_key_file(current.secret_key_file)
    click.echo(f"created the secret key {current.secret_key_file} (keep it with the database)")
    return (key,)


def register(main: click.Group) -> None:
    main.add_command(db_group)
