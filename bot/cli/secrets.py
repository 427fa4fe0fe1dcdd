"""`microcred secrets …`: the key that encrypts stored tokens, and rotating to a new one."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from bot.cli.runtime import settings
from storage.db import redact, sync_engine
from storage.encrypted_columns import rotate_all
from storage.encryption import Cipher, SecretKeyMissing, SecretUnreadable, generate_key


@click.group("secrets")
def secrets_group() -> None:
    """Secrets stored encrypted (Slack tokens from OAuth installs)."""


@secrets_group.command("generate-key")
def generate() -> None:
    """Print a new key for MICROCRED_SECRET_KEY."""
    click.echo(generate_key())


@secrets_group.command("rotate")
def rotate() -> None:
    """Re-encrypt every stored secret with the first key of MICROCRED_SECRET_KEY.

    Put the new key first and keep the old ones after it (comma-separated); once this has
    run, the old keys can be removed.
    """
    current = settings()
    try:
        cipher = Cipher(current.secret_keys)
    except SecretKeyMissing as exc:
        raise click.ClickException(str(exc)) from exc
    engine = sync_engine(current.database_url)
    try:
        with engine.begin() as conn:
            rows = rotate_all(conn, cipher)
    except SecretUnreadable as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise click.ClickException(
            f"cannot rotate secrets in {redact(current.database_url)}: {reason}"
        ) from exc
    finally:
        engine.dispose()
    click.echo(f"re-encrypted {rows} row(s) with the current key")


def register(main: click.Group) -> None:
    main.add_command(secrets_group)
