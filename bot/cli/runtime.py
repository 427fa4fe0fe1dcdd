"""What CLI commands share: settings, the database, the catalog, and clean failure."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from bot.application import Application
from bot.content import Catalog, InvalidContent, load_library
from bot.core.errors import BadRequest, CannotProceed
from bot.settings import Settings
from storage.db import Database, DatabaseUnavailable

T = TypeVar("T")


def settings() -> Settings:
    return Settings.from_env()


def load_catalog(skip_invalid: bool = True) -> Catalog:
    try:
        return load_library(settings().content_dir, skip_invalid=skip_invalid)
    except InvalidContent as exc:
        raise click.ClickException(f"the program library has problems:\n{exc}") from exc


def run_with_services(
    work: Callable[[Application], Awaitable[T]], *, skip_invalid: bool = True
) -> T:
    """Run `work` with the application's services on a checked database."""

    async def runner() -> T:
        services = Application.build(settings(), skip_invalid=skip_invalid)
        try:
            await services.database.check()
            return await work(services)
        finally:
            await services.stop()

    try:
        return asyncio.run(runner())
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def run_with_db(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` with a checked database; turn known failures into one clear error."""

    async def runner() -> T:
        database = Database(settings().database_url)
        try:
            await database.check()
            return await work(database)
        finally:
            await database.close()

    try:
        return asyncio.run(runner())
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    except (BadRequest, CannotProceed) as exc:
        raise click.ClickException(str(exc)) from exc
