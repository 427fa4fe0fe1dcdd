"""Engines and sessions: async for the application, sync for Alembic and the scheduler."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sqlite_inline import inline_creator


class DatabaseUnavailable(Exception):
    """The database cannot be reached; the message says which and why."""


def _driver_url(url: str, *, asynchronous: bool) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        driver = "aiosqlite" if asynchronous else "pysqlite"
    elif backend == "postgresql":
        driver = "psycopg"
    else:
        raise DatabaseUnavailable(f"unsupported database '{backend}': use sqlite or postgresql")
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def async_url(url: str) -> str:
    return _driver_url(url, asynchronous=True)


def sync_url(url: str) -> str:
    return _driver_url(url, asynchronous=False)


def redact(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _outage(context: ExceptionContext) -> BaseException | None:
    """A failed connect or a dropped connection is an outage, not a fault of the statement."""
    if context.connection is None or context.is_disconnect:
        return DatabaseUnavailable("the database is unreachable")
    return None


def _prepare_sqlite_dir(url: str) -> None:
    """Create a SQLite file's folder (0700) and the file itself (0600) when they are missing.

    SQLite would create the file with the umask's mode (usually 0644); its -wal and -shm
    files copy the database file's mode.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    if parsed.database.startswith("file:") or parsed.query.get("uri"):
        return
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def sync_engine(url: str) -> Engine:
    """A synchronous engine on the same database (Alembic, APScheduler's job store)."""
    _prepare_sqlite_dir(url)
    engine = create_engine(sync_url(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """The application's async engine and session factory."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        _prepare_sqlite_dir(url)
        self.url = url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            engine_options.setdefault("async_creator", inline_creator(parsed.database))
        self.engine: AsyncEngine = create_async_engine(async_url(url), **engine_options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(self.engine.sync_engine, "handle_error", _outage)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer: transactions that read, then write, fail with "database
        # is locked" when another writer got in between (the busy timeout does not help).
        # In-process, one transaction at a time avoids that; PostgreSQL needs no lock.
        self._serial = self.engine.dialect.name == "sqlite"
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def on_statement(self, count: Callable[[], None]) -> None:
        """Call `count` before each SQL statement the engine sends (metrics tally them)."""
        event.listen(self.engine.sync_engine, "before_cursor_execute", lambda *_: count())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on error."""
        task = asyncio.current_task()
        if not self._serial or self._owner is task:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._lock:
            self._owner = task
            try:
                async with self.sessions() as session, session.begin():
                    yield session
            finally:
                self._owner = None

    async def check(self) -> None:
        """Raise DatabaseUnavailable with one clear reason when the database is unreachable."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError, DatabaseUnavailable) as exc:
            cause = getattr(exc, "orig", None) or exc.__cause__ or exc
            reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()[0]
            raise DatabaseUnavailable(
                f"cannot reach the database {redact(self.url)}: {reason}"
            ) from exc

    async def close(self) -> None:
        await self.engine.dispose()


class SessionHooks:
    """A session's transaction as the after-commit runner sees it (bot/core/tasks.py)."""

    def __init__(self, session: AsyncSession) -> None:
        self.sync = session.sync_session

    @property
    def info(self) -> dict[str, Any]:
        return self.sync.info

    def on_commit(self, fire: Callable[[], None]) -> None:
        event.listen(self.sync, "after_commit", lambda _session: fire(), once=True)

    def on_rollback(self, forget: Callable[[], None]) -> None:
        event.listen(self.sync, "after_rollback", lambda _session: forget(), once=True)
