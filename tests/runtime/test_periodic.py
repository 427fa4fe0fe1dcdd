"""Periodic sweeps on SQLite: each runs once per interval, also across a restart, a failing
one is recorded and runs again at its next time, and a stopped process runs none."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.runtime import Periodic
from storage.db import Database
from storage.models import PeriodicRun
from tests.clock import FakeClock

HOUR = 3600.0
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


class Sweep:
    """A sweep that counts its runs and lets the test wait for the next one."""

    def __init__(self, fails: bool = False) -> None:
        self.runs, self.fails, self.ran = 0, fails, asyncio.Event()

    async def __call__(self) -> None:
        self.runs += 1
        self.ran.set()
        if self.fails:
            raise ValueError("the channel is gone")

    async def next_run(self) -> None:
        await asyncio.wait_for(self.ran.wait(), 10)
        self.ran.clear()


async def settled(periodic: Periodic) -> None:
    """Until the runs under way (the scheduler's, or a test's) are claimed and recorded."""
    while periodic.running:
        await asyncio.wait(set(periodic.running), timeout=10)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def started(
    sqlite_database: Database, clock: FakeClock
) -> AsyncIterator[tuple[Periodic, Sweep, Sweep]]:
    """One process leading (SQLite runs one), with a sweep and a failing sweep, each hourly."""
    periodic = Periodic(sqlite_database, clock, worker="first")
    digest, broken = Sweep(), Sweep(fails=True)
    periodic.every("digest", HOUR, digest)
    periodic.every("broken", HOUR, broken)
    await periodic.start()  # the leader runs every sweep once at once
    await digest.next_run()
    await broken.next_run()
    await settled(periodic)
    yield periodic, digest, broken
    await periodic.stop()


async def record(database: Database, name: str) -> PeriodicRun:
    async with database.transaction() as session:
        found = await session.get(PeriodicRun, name)
    assert found is not None
    return found


def test_a_sweep_is_registered_once(sqlite_database: Database, clock: FakeClock) -> None:
    periodic = Periodic(sqlite_database, clock)
    periodic.every("digest", HOUR, Sweep())
    with pytest.raises(ValueError, match="'digest' is registered twice"):
        periodic.every("digest", 60, Sweep())


async def test_a_sweep_runs_once_per_interval(
    started: tuple[Periodic, Sweep, Sweep], sqlite_database: Database, clock: FakeClock
) -> None:
    periodic, digest, _ = started
    await periodic.run("digest")  # asked again within the hour: another run has it
    assert digest.runs == 1
    clock.advance(minutes=31)  # half the interval on: the next run is due
    await periodic.run("digest")
    assert digest.runs == 2
    row = await record(sqlite_database, "digest")
    assert (row.runs, row.worker, row.started_at, row.error) == (2, "first", clock.now(), "")


async def test_a_restart_within_the_interval_does_not_run_a_sweep_again(
    started: tuple[Periodic, Sweep, Sweep], sqlite_database: Database, clock: FakeClock
) -> None:
    first, digest, _ = started
    await first.stop()
    restarted = Periodic(sqlite_database, clock, worker="second")
    again = Sweep()
    restarted.every("digest", HOUR, again)
    await restarted.start()  # its scheduler asks for every sweep at once, too
    try:
        await restarted.run("digest")
        assert (digest.runs, again.runs) == (1, 0)
        clock.advance(hours=1)
        await restarted.run("digest")
        await again.next_run()  # run by hand or by the scheduler, whichever asked first
        await settled(restarted)
        assert again.runs == 1 and (await record(sqlite_database, "digest")).worker == "second"
    finally:
        await restarted.stop()


async def test_a_failing_sweep_is_recorded_and_runs_again_at_its_next_time(
    started: tuple[Periodic, Sweep, Sweep],
    sqlite_database: Database,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    periodic, _, broken = started
    assert (await record(sqlite_database, "broken")).error == "ValueError: the channel is gone"
    clock.advance(hours=1)
    with caplog.at_level(logging.ERROR):
        await periodic.run("broken")
    assert broken.runs == 2
    assert "periodic sweep broken failed; it runs again at its next time" in caplog.text


async def test_a_stopped_process_runs_no_sweep(
    started: tuple[Periodic, Sweep, Sweep], clock: FakeClock
) -> None:
    periodic, digest, _ = started
    await periodic.stop()
    clock.advance(hours=2)
    await periodic.run("digest")
    assert digest.runs == 1
