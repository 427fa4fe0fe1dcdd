"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from storage import migrate

POSTGRES_ENV = "MICROCRED_TEST_POSTGRES_URL"
SKIP_POSTGRES = f"{POSTGRES_ENV} is not set: PostgreSQL tests run in CI (.ci/run sets it)"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A new, migrated PostgreSQL database with committed data, dropped afterwards."""
    admin = postgres_admin_url()
    assert admin, SKIP_POSTGRES
    name = f"microcred_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def throwaway_sqlite(folder: Path) -> Iterator[str]:
    """A new, migrated SQLite file."""
    url = f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
    migrate.upgrade(url)
    yield url
