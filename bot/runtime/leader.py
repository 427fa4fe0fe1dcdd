"""Leader election (a PostgreSQL advisory lock; SQLite runs one process) and heartbeats."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.models import DeliveryWorker
from storage.queries.connections import advisory_unlock, ping, try_advisory_lock
from storage.queries.workers import (
    alive_workers,
    delete_worker,
    delete_workers_before,
    touch_worker,
)

log = logging.getLogger(__name__)
LOCK_KEY = 0x6D6963726F637264 & 0x7FFFFFFFFFFFFFFF
"""'microcrd': the advisory lock the scheduler leader holds for as long as it lives."""


class Leadership:
    """Holds the advisory lock on its own connection; the lock dies with the process."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.connection: AsyncConnection | None = None

    @property
    def single_process(self) -> bool:
        return self.database.dialect != "postgresql"

    async def acquire(self) -> bool:
        """Become the leader if nobody is; True when this process leads."""
        if self.single_process:
            return True
        try:
            if self.connection is None:
                connection = await self.database.engine.connect()
                self.connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await try_advisory_lock(connection=self.connection, key=LOCK_KEY)
        except Exception:
            log.warning("leader election failed; will try again", exc_info=True)
            await self.release()
            return False
        return bool(got)

    async def held(self) -> bool:
        """Whether the lock's connection is still alive (so the lock is still ours)."""
        if self.single_process:
            return True
        if self.connection is None:
            return False
        try:
            await ping(connection=self.connection)
        except Exception:
            log.warning("lost the scheduler leader's connection", exc_info=True)
            await self.release()
            return False
        return True

    async def release(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            await advisory_unlock(connection=connection, key=LOCK_KEY)
        except Exception:
            log.debug("advisory unlock failed (the connection is gone)", exc_info=True)
        try:
            await connection.close()
        except Exception:
            log.debug("closing the leader connection failed", exc_info=True)


async def beat(
    database: Database,
    *,
    name: str,
    host: str,
    pid: int,
    leader: bool,
    sent: int,
    now: datetime,
    stale: timedelta,
) -> int:
    """Record this process as alive; return how many processes are alive."""
    async with database.transaction() as session:
        if not await touch_worker(session, name=name, now=now, leader=leader, sent=sent):
            session.add(
                DeliveryWorker(
                    name=name, host=host, pid=pid, leader=leader, started_at=now, beat_at=now
                )
            )
        alive = await alive_workers(session, since=now - stale)
    return max(alive, 1)


async def forget_workers(database: Database, *, older_than: datetime) -> None:
    async with database.transaction() as session:
        await delete_workers_before(session, before=older_than)


async def step_down(database: Database, *, name: str) -> None:
    async with database.transaction() as session:
        await delete_worker(session, name=name)
