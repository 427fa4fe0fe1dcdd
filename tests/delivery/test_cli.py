"""`microcred schedule show` and `microcred outbox status|retry`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from bot.cli import main
from bot.content import Catalog
from storage.db import Database
from storage.models import OutboxMessage
from tests.delivery.conftest import FIXTURE
from tests.delivery.harness import FakeClock, build_world, drain

SLOT = datetime(2027, 3, 1, 8, 31, tzinfo=UTC)


async def _scheduled(url: str, mini: Catalog) -> None:
    database = Database(url)
    clock = FakeClock(datetime(2027, 3, 1, 6, 0, tzinfo=UTC))
    world = build_world(database, mini, clock)
    for name in ("ann", "bo"):
        learner = world.learner(name)
        await learner.say("start mini")
        await world.set_person(name, timezone="Europe/Berlin")
    await world.run()
    await world.run(SLOT)
    async with database.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.identity == "local:bo")
            .values(status="dead", last_error="Unreachable: gone")
        )
    await drain(world.delivery)
    await database.close()


@pytest.fixture
def run(sqlite_url: str, mini: Catalog, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    asyncio.run(_scheduled(sqlite_url, mini))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(FIXTURE))
    return CliRunner()


def test_schedule_show_tells_when_and_why(run: CliRunner) -> None:
    result = run.invoke(main, ["schedule", "show", "--user", "local:ann"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "time zone Europe/Berlin · messages only weekdays 09:00-18:00" in out
    assert "mini · active · rhythm weekdays 09:30 (program default)" in out
    assert "next lesson slot" in out and "Tue 02 Mar 2027 09:30 Europe/Berlin" in out
    assert "reminder 1" in out
    assert "sent    lesson   step:" in out


def test_schedule_show_for_someone_unknown(run: CliRunner) -> None:
    result = run.invoke(main, ["schedule", "show", "--user", "local:nobody"])
    assert result.exit_code != 0 and "local:nobody" in result.output


def test_outbox_status_and_retry(run: CliRunner) -> None:
    result = run.invoke(main, ["outbox", "status"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "platform" in result.output and "local" in result.output
    assert "dead: step:" in result.output
    data = json.loads(run.invoke(main, ["outbox", "status", "--json"]).output)
    assert data["counts"]["local/sent"] == 1 and data["counts"]["local/dead"] == 1
    assert set(data) >= {"oldest_due_seconds", "expired_leases", "workers", "alerts"}
    retried = run.invoke(main, ["outbox", "retry", "--all-dead"], catch_exceptions=False)
    assert "requeued 1 message(s)" in retried.output
    assert (
        "local/dead"
        not in json.loads(run.invoke(main, ["outbox", "status", "--json"]).output)["counts"]
    )
    assert run.invoke(main, ["outbox", "retry"]).exit_code == 2
