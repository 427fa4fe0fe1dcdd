"""Three `microcred serve` processes on one PostgreSQL run each periodic sweep once per
interval, also when the leader is killed and another takes over."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import DeliveryWorker, PeriodicRun
from storage.types import utcnow
from tests.delivery.conftest import FIXTURE
from tests.processes import free_port, microcred_env, servers, wait_healthy

pytestmark = pytest.mark.postgres
TICK = 1.0
"""MICROCRED_TICK_SECONDS: the delivery tick and the peer-review sweep run this often."""


async def _runs(database: Database) -> dict[str, int]:
    async with database.transaction() as session:
        return {r.name: r.runs for r in await session.scalars(select(PeriodicRun))}


async def _leader_pid(database: Database) -> int | None:
    """The leader that beat in the last three seconds (a killed one's row stays behind)."""
    fresh = utcnow() - timedelta(seconds=3)
    async with database.transaction() as session:
        return await session.scalar(
            select(DeliveryWorker.pid).where(DeliveryWorker.leader, DeliveryWorker.beat_at > fresh)
        )


async def _wait(database: Database, timeout: float = 60) -> int:
    for _ in range(int(timeout * 10)):
        pid = await _leader_pid(database)
        runs = await _runs(database)
        if pid is not None and runs.get("delivery-tick", 0) >= 2:
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError("no leader ran the tick")


async def _successor(database: Database, killed: int, timeout: float = 30) -> int:
    """The process that leads after `killed` (once it has beaten as the leader)."""
    for _ in range(int(timeout * 10)):
        pid = await _leader_pid(database)
        if pid is not None and pid != killed:
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError("no other process took over the sweeps")


async def test_each_sweep_runs_once_per_interval_across_three_processes(
    postgres_url: str, tmp_path: Path
) -> None:
    database = Database(postgres_url)
    ports = [str(free_port()) for _ in range(3)]
    env = microcred_env(
        postgres_url,
        FIXTURE,
        MICROCRED_TICK_SECONDS=str(TICK),
        **{f"PORT{n}": port for n, port in enumerate(ports)},
    )
    try:
        with servers(env, 3, tmp_path) as processes:
            await wait_healthy(ports, processes)
            leader = await _wait(database)
            before = await _runs(database)
            loop = asyncio.get_running_loop()
            started = loop.time()
            await asyncio.sleep(5)  # part of the window the runs are counted over
            os.kill(leader, signal.SIGKILL)  # another process takes over the sweeps
            next(p for p in processes if p.pid == leader).wait(timeout=10)
            successor = await _successor(database, leader)
            await asyncio.sleep(max(0.0, started + 12 - loop.time()))  # the rest of the window
            after = await _runs(database)
            elapsed = loop.time() - started
    finally:
        await database.close()
    assert successor != leader
    window = elapsed / TICK
    for every_tick in ("delivery-tick", "reviews"):
        ran = after[every_tick] - before[every_tick]
        # once per interval, less the hand-over; three processes each running it would be 3×
        assert window - 5 <= ran <= window + 2, (every_tick, ran)
    for name in ("badges", "engagement", "delivery-plan", "delivery-housekeeping"):
        assert after[name] == 1, (name, after[name])  # intervals of a minute or more: once
