"""Fixtures for scheduled delivery: the mini program, a fake clock, a journey with delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content import Catalog, load_library
from storage.db import Database
from tests.delivery.harness import FakeClock, World, build_world

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"
MONDAY = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
"""Monday 1 March 2027, 07:00 in Berlin (before the 09:00 window opens)."""


@pytest.fixture(scope="session")
def mini() -> Catalog:
    return load_library(FIXTURE)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
async def world(sqlite_database: Database, mini: Catalog, clock: FakeClock) -> AsyncIterator[World]:
    yield build_world(sqlite_database, mini, clock)


@pytest.fixture
async def any_world(database: Database, mini: Catalog, clock: FakeClock) -> AsyncIterator[World]:
    """The same, on SQLite and on PostgreSQL."""
    yield build_world(database, mini, clock)
