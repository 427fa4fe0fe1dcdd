"""Claims on periodic sweeps: a run is claimed before it starts, once per interval."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import PeriodicRun


async def claim_run(
    database: Database, *, name: str, worker: str, now: datetime, not_since: datetime
) -> bool:
    """Claim this run of `name` unless one started after `not_since` (another process ran it)."""
    async with database.transaction() as session:
        claimed = await session.execute(
            update(PeriodicRun)
            .where(PeriodicRun.name == name, PeriodicRun.started_at <= not_since)
            .values(runs=PeriodicRun.runs + 1, started_at=now, worker=worker, finished_at=None)
        )
        if getattr(claimed, "rowcount", 0):
            return True
        if await session.get(PeriodicRun, name) is not None:
            return False
    try:
        async with database.transaction() as session:
            session.add(PeriodicRun(name=name, runs=1, started_at=now, worker=worker))
    except IntegrityError:  # another process claimed the first run
        return False
    return True


async def finish_run(database: Database, *, name: str, now: datetime, error: str = "") -> None:
    async with database.transaction() as session:
        await session.execute(
            update(PeriodicRun)
            .where(PeriodicRun.name == name)
            .values(finished_at=now, error=error[:500])
        )
