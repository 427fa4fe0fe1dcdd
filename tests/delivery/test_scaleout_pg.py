"""Three `microcred serve` processes on one PostgreSQL; the scheduler leader is killed mid-run.

Every one of 5,000 lessons reaches the fake Slack exactly once (the fake records every call
and never de-duplicates), and another process takes over the scheduler.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.content import load_library
from storage.db import Database
from storage.models import DeliveryWorker, DueItem, OutboxMessage
from storage.types import utcnow
from tests.delivery.conftest import FIXTURE
from tests.delivery.seed import seed_learners
from tests.fakes.slack_limits import LimitedSlack, dump
from tests.processes import free_port, microcred_env, servers, wait_healthy

LEARNERS = 5_000
SPREAD = timedelta(seconds=15)
pytestmark = pytest.mark.postgres


@pytest.fixture
async def slack() -> AsyncIterator[LimitedSlack]:
    fake = await LimitedSlack().start()
    yield fake
    await fake.stop()


async def _leader(database: Database, since: datetime) -> DeliveryWorker | None:
    async with database.transaction() as session:
        return await session.scalar(
            select(DeliveryWorker).where(DeliveryWorker.leader, DeliveryWorker.beat_at > since)
        )


async def _until(check: object, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


async def test_three_servers_deliver_every_lesson_once_when_the_leader_dies(
    postgres_url: str, slack: LimitedSlack, tmp_path: Path
) -> None:
    database = Database(postgres_url)
    catalog = load_library(FIXTURE)
    keys = await seed_learners(
        database, catalog, count=LEARNERS, due_at=utcnow() + timedelta(hours=1)
    )
    ports = [str(free_port()) for _ in range(3)]
    env = microcred_env(
        postgres_url,
        FIXTURE,
        SLACK_BOT_TOKEN=slack.token,
        SLACK_SIGNING_SECRET="scaleout-secret",
        SLACK_API_URL=slack.api_url,
        MICROCRED_TICK_SECONDS="1",
        MICROCRED_OUTBOX_LEASE_SECONDS="5",
        MICROCRED_SLACK_WORKSPACE_RATE="5000",
        **{f"PORT{n}": port for n, port in enumerate(ports)},
    )
    try:
        with servers(env, 3, tmp_path) as processes:
            await wait_healthy(ports, processes)
            await _until(lambda: _leader(database, utcnow() - timedelta(seconds=5)), 30, "a leader")
            start = utcnow()
            async with database.transaction() as session:  # due over the next 15 seconds
                await session.execute(
                    update(DueItem).values(
                        due_at=start + (DueItem.enrollment_id % 120) * (SPREAD / 120),
                    )
                )
            await _until(lambda: _started(database, slack), 60, "the first lessons going out")
            leader = await _leader(database, start)
            assert leader is not None
            victim = next(p for p in processes if p.pid == leader.pid)
            os.kill(victim.pid, signal.SIGKILL)
            killed_at = utcnow()
            victim.wait(timeout=10)
            await _until(lambda: _settled(database, slack, LEARNERS), 180, "every lesson")
            successor = await _leader(database, killed_at)
    finally:
        async with database.transaction() as session:
            enqueuers = Counter(await session.scalars(select(OutboxMessage.enqueued_by)))
        await database.close()
    delivered = Counter(slack.delivered_keys())
    assert delivered == Counter(keys), dump(slack)  # each lesson exactly once
    assert successor is not None and successor.pid != leader.pid
    assert enqueuers[leader.name] < LEARNERS
    assert enqueuers[successor.name] > 0  # the new leader ticked what fell due after the kill


async def _started(database: Database, slack: LimitedSlack) -> bool:
    """A thousand lessons queued and some sent: the leader is mid-run, sends are in flight."""
    if len(slack.messages) < 200:
        return False
    async with database.transaction() as session:
        queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
    return int(queued or 0) >= 1_000


async def _settled(database: Database, slack: LimitedSlack, expected: int) -> bool:
    if len(set(slack.delivered_keys())) < expected:
        return False
    async with database.transaction() as session:
        open_rows = await session.scalar(
            select(func.count()).where(OutboxMessage.status.in_(("pending", "claimed")))
        )
    return not open_rows
