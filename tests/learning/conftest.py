"""Fixtures for the learning tests: the mini program, and the journey on SQLite and a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content import Catalog, load_library
from storage.db import Database
from tests.learning.desk import FIXTURE, Desk, copy_mini, desk


@pytest.fixture(scope="session")
def mini() -> Catalog:
    return load_library(FIXTURE)


@pytest.fixture(scope="session")
def exact(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Mini without its essay: the quiz is scored at once and the program can complete."""
    return load_library(copy_mini(tmp_path_factory.mktemp("exact") / "lib", essay=False))


@pytest.fixture
async def mini_desk(sqlite_database: Database, mini: Catalog) -> AsyncIterator[Desk]:
    yield desk(sqlite_database, mini)


@pytest.fixture
async def exact_desk(sqlite_database: Database, exact: Catalog) -> AsyncIterator[Desk]:
    yield desk(sqlite_database, exact)
