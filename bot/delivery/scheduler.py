"""APScheduler 3 with its SQLAlchemy job store, running the system jobs on the leader only."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from bot.delivery.options import DeliveryOptions
from storage.db import sync_engine

log = logging.getLogger(__name__)


def system_jobs(options: DeliveryOptions) -> tuple[tuple[str, str, float], ...]:
    """(id, import path, seconds between runs) of each periodic job."""
    return (
        ("delivery-tick", "bot.delivery.jobs:tick", options.tick_seconds),
        ("delivery-plan", "bot.delivery.jobs:plan", options.plan_seconds),
        ("delivery-housekeeping", "bot.delivery.jobs:housekeeping", 3600.0),
    )


class SystemScheduler:
    """Started when this process becomes the leader, stopped when it stops leading."""

    def __init__(self, database_url: str, options: DeliveryOptions) -> None:
        self.database_url = database_url
        self.options = options
        self.extra: dict[str, float] = {}
        """Jobs other features registered: name → seconds (run through `jobs:run`)."""
        self.scheduler: AsyncIOScheduler | None = None
        self.engine: Engine | None = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None

    def start(self) -> None:
        """Start inside the running event loop; jobs are (re)written to the job store."""
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
        scheduler.start()
        jobs: list[tuple[str, str, float, list[str]]] = [
            (job_id, func, seconds, []) for job_id, func, seconds in system_jobs(self.options)
        ]
        jobs += [(f"job-{n}", "bot.delivery.jobs:run", s, [n]) for n, s in self.extra.items()]
        for job_id, func, seconds, args in jobs:
            scheduler.add_job(
                func,
                "interval",
                args=args,
                seconds=seconds,
                id=job_id,
                name=job_id,
                replace_existing=True,
                next_run_time=datetime.now(UTC),
            )
        self.scheduler = scheduler
        log.info("scheduler started: %s", ", ".join(j.id for j in scheduler.get_jobs()))

    def stop(self) -> None:
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
