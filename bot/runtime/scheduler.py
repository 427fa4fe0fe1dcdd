"""APScheduler 3 with its SQLAlchemy job store, running the periodic sweeps on the leader only."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from storage.db import sync_engine

log = logging.getLogger(__name__)
JOB = "bot.runtime.jobs:run"
"""Every stored job calls this with its sweep's name, so the store never holds a callable."""


def job_id(name: str) -> str:
    return f"job-{name}"


class SystemScheduler:
    """Started when this process becomes the leader, stopped when it stops leading."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.scheduler: AsyncIOScheduler | None = None
        self.engine: Engine | None = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None

    def start(self, every: Mapping[str, float]) -> None:
        """Start inside the running event loop with one job per sweep (name → seconds).

        Jobs are rewritten in the store; stored jobs of sweeps no longer registered (an older
        release's ids, say) are removed, so nothing runs twice under two names.
        """
        if self.scheduler is not None:
            return
        executions = logging.getLogger("apscheduler.executors.default")
        if executions.level == logging.NOTSET:  # a line per run every 15 s is noise
            executions.setLevel(logging.WARNING)
        self.engine = sync_engine(self.database_url)
        scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
            timezone=UTC,
        )
        scheduler.start(paused=True)
        wanted = {job_id(name) for name in every}
        for stale in scheduler.get_jobs():
            if stale.id not in wanted:
                scheduler.remove_job(stale.id)
        for name, seconds in every.items():
            scheduler.add_job(
                JOB,
                "interval",
                args=[name],
                seconds=seconds,
                id=job_id(name),
                name=name,
                replace_existing=True,
                next_run_time=datetime.now(UTC),
            )
        scheduler.resume()
        self.scheduler = scheduler
        log.info("scheduler started: %s", ", ".join(sorted(every)))

    def stop(self) -> None:
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
