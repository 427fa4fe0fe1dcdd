"""Periodic sweeps: registered once, run on the elected leader, claimed once per interval."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core.ports import Clock
from bot.runtime import jobs
from bot.runtime.leader import Leadership, beat, step_down
from bot.runtime.scheduler import SystemScheduler
from storage.db import Database
from storage.queries.periodic import claim_run, finish_run

log = logging.getLogger(__name__)
Sweep = Callable[[], Awaitable[object]]


def worker_name() -> str:
    """This process's name in heartbeats and claims: host, pid and a random tag."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(2)}"


@dataclass(frozen=True)
class Every:
    seconds: float
    work: Sweep


class Periodic:
    """Every process stands for leader and beats; the leader's scheduler runs each sweep, and
    each run is claimed first, so a leader hand-over never runs a sweep twice in one interval.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        worker: str | None = None,
        heartbeat_seconds: float = 5.0,
        leader_poll_seconds: float = 2.0,
    ) -> None:
        self.database, self.clock = database, clock
        self.worker = worker or worker_name()
        self.interval = min(heartbeat_seconds, leader_poll_seconds)
        self.sweeps: dict[str, Every] = {}
        self.leadership = Leadership(database)
        self.scheduler = SystemScheduler(database.url)
        self.leader = False
        self.closed = True
        self.listeners: list[Callable[[int], None]] = []
        self.sent: Callable[[], int] = lambda: 0
        """How many messages this process has sent, for its heartbeat (`schedule workers`)."""
        self.running: set[asyncio.Task[object]] = set()
        self._lead_task: asyncio.Task[None] | None = None

    def every(self, name: str, seconds: float, work: Sweep) -> None:
        """Run `work` every `seconds` on the leader; each name is registered once."""
        if name in self.sweeps:
            raise ValueError(f"the periodic sweep {name!r} is registered twice")
        self.sweeps[name] = Every(max(0.05, seconds), work)

    def on_beat(self, listener: Callable[[int], None]) -> None:
        """Called after each heartbeat with how many processes are alive."""
        self.listeners.append(listener)

    async def start(self) -> None:
        self.closed = False
        jobs.install(self)
        self._lead_task = asyncio.create_task(self._lead(), name="scheduler-leader")

    async def stop(self, timeout: float = 20.0) -> None:
        """Stop leading, then wait for the sweeps already running (up to `timeout`)."""
        self.closed = True
        if self._lead_task is not None:
            self._lead_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lead_task
            self._lead_task = None
        self._stop_leading()
        if self.running:
            _, late = await asyncio.wait(set(self.running), timeout=timeout)
            for task in late:
                task.cancel()
        await self.leadership.release()
        with contextlib.suppress(Exception):
            await step_down(self.database, name=self.worker)
        jobs.install(None)

    async def run(self, name: str) -> None:
        """One run of `name`, unless this process is stopping or another ran it this interval."""
        every = self.sweeps.get(name)
        if self.closed or every is None:
            return
        now = self.clock.now()
        half = timedelta(seconds=every.seconds / 2)
        task = asyncio.current_task()
        if task is not None:  # from the claim on, so `stop` waits for it
            self.running.add(task)
        try:
            if not await claim_run(
                self.database, name=name, worker=self.worker, now=now, not_since=now - half
            ):
                return
            error = ""
            try:
                await every.work()
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.exception("periodic sweep %s failed; it runs again at its next time", name)
            await finish_run(self.database, name=name, now=self.clock.now(), error=error)
        except Exception:  # the database is out: the next interval tries again
            log.exception("periodic sweep %s could not be claimed or recorded", name)
        finally:
            if task is not None:
                self.running.discard(task)

    def _stop_leading(self) -> None:
        if self.leader:
            log.info("%s stops leading the scheduler", self.worker)
        self.leader = False
        self.scheduler.stop()

    async def _lead(self) -> None:
        while True:
            try:
                if not self.leader and await self.leadership.acquire():
                    self.leader = True
                    log.info("%s now leads the scheduler", self.worker)
                    self.scheduler.start({n: e.seconds for n, e in self.sweeps.items()})
                elif self.leader and not await self.leadership.held():
                    self._stop_leading()
                await self._beat()
            except Exception:
                log.exception("scheduler leadership check failed")
            await asyncio.sleep(self.interval)

    async def _beat(self) -> None:
        alive = await beat(
            self.database,
            name=self.worker,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            leader=self.leader,
            sent=self.sent(),
            now=self.clock.now(),
            stale=timedelta(seconds=self.interval * 3 + 1),
        )
        for listener in self.listeners:
            listener(alive)
