"""Fixtures: engagement on the journey, on SQLite and PostgreSQL, at a fixed Monday morning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.content import Catalog
from storage.db import Database
from tests.engagement.harness import Harness, harness

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""A Monday, 10:00 UTC: after the 09:30 slot of `weekdays 09:30`, inside quiet hours."""


@pytest.fixture
async def h(database: Database, catalog: Catalog) -> AsyncIterator[Harness]:
    yield harness(database, catalog, MONDAY)


@pytest.fixture
async def hs(sqlite_database: Database, catalog: Catalog) -> AsyncIterator[Harness]:
    """SQLite only: for the many small cases that do not depend on the backend."""
    yield harness(sqlite_database, catalog, MONDAY)
