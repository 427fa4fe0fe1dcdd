"""Shared fixtures: the bundled catalog and throwaway databases on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.content import Catalog, load_library
from bot.settings import PROJECT_ROOT
from storage.db import Database
from tests.databases import SKIP_POSTGRES, postgres_admin_url, throwaway_postgres, throwaway_sqlite

SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_library(PROJECT_ROOT)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database URL on each backend (PostgreSQL skips without its URL)."""
    if request.param == "postgres":
        if not postgres_admin_url():
            pytest.skip(SKIP_POSTGRES)
        with throwaway_postgres() as url:
            yield url
    else:
        with throwaway_sqlite(tmp_path) as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    with throwaway_sqlite(tmp_path) as url:
        yield url


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    yield db
    await db.close()


@pytest.fixture
async def sqlite_database(sqlite_url: str) -> AsyncIterator[Database]:
    db = Database(sqlite_url)
    yield db
    await db.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of its own (skips without MICROCRED_TEST_POSTGRES_URL)."""
    if not postgres_admin_url():
        pytest.skip(SKIP_POSTGRES)
    with throwaway_postgres() as url:
        yield url
