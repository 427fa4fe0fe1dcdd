"""Run `microcred` in-process against a throwaway database and a tiny program library."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from storage.db import Database
from tests.storage.builders import write_library

T = TypeVar("T")


class Cli(Protocol):
    def __call__(self, *args: str, input: str | None = None) -> Result: ...


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


@pytest.fixture
def cli(db_url: str, library: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`cli("cohorts", "list")` runs the real command group; exceptions are not swallowed."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(library))
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def in_db(db_url: str) -> Callable[[Callable[[AsyncSession], Awaitable[T]]], T]:
    """Run `work(session)` in one committed transaction (the tests themselves are sync)."""

    def run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async def go() -> T:
            database = Database(db_url)
            try:
                async with database.transaction() as session:
                    return await work(session)
            finally:
                await database.close()

        return asyncio.run(go())

    return run
