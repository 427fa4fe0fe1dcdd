"""Alembic, configured in code: `microcred db upgrade` and friends."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# Tables owned by libraries (slack_sdk's OAuth stores, APScheduler's job store) are
# created by our migrations but have no models: autogenerate must not drop them.
FOREIGN_TABLES = ("slack_", "apscheduler_")


def include_object(obj: object, name: str | None, type_: str, reflected: bool, _: object) -> bool:
    """Alembic filter: leave library-owned tables alone."""
    return not (type_ == "table" and reflected and (name or "").startswith(FOREIGN_TABLES))


def alembic_config(database_url: str, secret_keys: Sequence[str] = ()) -> Config:
    """Alembic's configuration; migrations that encrypt secrets read `secret_keys`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["secret_keys"] = tuple(secret_keys)
    return config


def upgrade(database_url: str, revision: str = "head", secret_keys: Sequence[str] = ()) -> None:
    """Bring the database schema up to `revision` (stored secrets are encrypted with the
    first of `secret_keys`; raises SecretKeyMissing when plaintext secrets exist and none)."""
    command.upgrade(alembic_config(database_url, secret_keys), revision)


def downgrade(database_url: str, revision: str, secret_keys: Sequence[str] = ()) -> None:
    """Take the database schema back to `revision`."""
    command.downgrade(alembic_config(database_url, secret_keys), revision)


def revision(database_url: str, message: str) -> None:
    """Autogenerate a new migration from the models (for developers)."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
