"""The after-commit runner: work runs once its transaction commits, never after a rollback,
and shutdown waits for what is running."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.application import Application
from bot.content import Catalog
from bot.core.tasks import Tasks, Work
from bot.settings import Settings
from storage.db import Database, SessionHooks
from storage.models import ProcessedEvent


async def _count(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


async def test_work_runs_after_the_commit_and_sees_what_it_wrote(
    sqlite_database: Database,
) -> None:
    tasks, seen = Tasks(), []

    async def report() -> None:
        seen.append(await _count(sqlite_database))

    async with sqlite_database.transaction() as session:
        session.add(ProcessedEvent(key="a"))
        tasks.after_commit(SessionHooks(session), report, what="report")
        await session.flush()
        assert seen == []  # nothing runs inside the transaction
    await tasks.drain()
    assert seen == [1]


async def test_work_queued_in_a_rolled_back_transaction_never_runs(
    sqlite_database: Database,
) -> None:
    tasks, ran = Tasks(), []

    async def record() -> None:
        ran.append("ran")

    with pytest.raises(RuntimeError):
        async with sqlite_database.transaction() as session:
            session.add(ProcessedEvent(key="b"))
            tasks.after_commit(SessionHooks(session), record, what="record")
            raise RuntimeError("the caller fails")
    async with sqlite_database.transaction() as session:  # the next transaction commits
        session.add(ProcessedEvent(key="c"))
    await tasks.drain()
    assert ran == [] and await _count(sqlite_database) == 1


async def test_work_runs_in_order_and_a_named_send_once_where_it_was_last_asked_for(
    sqlite_database: Database,
) -> None:
    tasks, ran = Tasks(), []

    def step(name: str) -> Work:
        async def run() -> None:
            ran.append(name)
            if name == "fails":
                raise ValueError("logged, and the rest still runs")

        return run

    async with sqlite_database.transaction() as session:
        hooks = SessionHooks(session)
        tasks.after_commit(hooks, step("first"), what="first")
        tasks.after_commit(hooks, step("send"), what="send", once="send")
        tasks.after_commit(hooks, step("fails"), what="fails")
        tasks.after_commit(hooks, step("send"), what="send", once="send")
        tasks.after_commit(hooks, step("last"), what="last")
    await tasks.drain()
    assert ran == ["first", "fails", "send", "last"]  # the send once, where last asked for


async def test_shutdown_waits_for_tracked_work(
    sqlite_url: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = Application.build(Settings(database_url=sqlite_url), catalog=catalog)
    finished: list[str] = []
    release, draining = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        await release.wait()
        await _count(application.database)  # the work still has its database
        finished.append("done")

    drain = application.tasks.drain

    async def drain_seen(timeout: float | None = 20.0) -> None:
        draining.set()
        await drain(timeout)

    monkeypatch.setattr(application.tasks, "drain", drain_seen)
    async with application.database.transaction() as session:
        application.tasks.after_commit(SessionHooks(session), slow, what="slow")
    application.tasks.spawn(slow(), what="spawned")
    stopping = asyncio.create_task(application.stop())
    await draining.wait()  # shutdown has begun and waits for the work
    assert finished == [] and not stopping.done()
    release.set()
    await stopping
    assert finished == ["done", "done"]


async def test_a_drain_that_times_out_cancels_what_is_left() -> None:
    tasks = Tasks()
    task = tasks.spawn(asyncio.sleep(30), what="stuck")
    await tasks.drain(timeout=0.1)
    assert task is not None and task.cancelled() and not tasks.running
