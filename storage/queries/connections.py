"""Statements on a bare connection: the ping, the schema check and the leader's advisory lock."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


async def ping(*, connection: AsyncConnection) -> None:
    """Run `SELECT 1`; raises when the database cannot be reached."""
    await connection.execute(text("SELECT 1"))


async def read_version_table(*, connection: AsyncConnection) -> None:
    """Read Alembic's version table; raises when the schema was never created."""
    await connection.execute(text("SELECT 1 FROM alembic_version"))


async def try_advisory_lock(*, connection: AsyncConnection, key: int) -> bool:
    """Take the PostgreSQL session-level advisory lock `key` if nobody holds it."""
    got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
    return bool(got)


async def advisory_unlock(*, connection: AsyncConnection, key: int) -> None:
    """Release the advisory lock `key` held on this connection."""
    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
