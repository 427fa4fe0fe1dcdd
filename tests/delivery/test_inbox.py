"""The server runs the scheduler; a local learner's lesson shows up in the playground inbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select, text, update

from bot.application import Application
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from storage.models import DeliveryWorker, DueItem
from storage.types import utcnow
from tests.driver import Learner
from tests.processes import free_port
from tests.web.session import sign_in_http


@pytest.fixture
async def services(sqlite_url: str, mini: Catalog) -> AsyncIterator[Application]:
    settings = Settings(database_url=sqlite_url, port=free_port(), tick_seconds=0.5)
    built = Application.build(settings, catalog=mini)
    yield built
    await built.stop()


async def test_a_due_slot_reaches_the_playground_inbox(services: Application) -> None:
    ann = Learner(services.router, "ann")
    await ann.say("start mini")
    await ann.say("settings hours daily 00:00-24:00")  # whatever time the test runs
    await services.delivery.plan()
    now = utcnow()
    async with services.database.transaction() as session:  # the slot is due right now
        await session.execute(
            update(DueItem).values(due_at=now, slot_at=now - timedelta(seconds=1))
        )
    ran: list[str] = []

    async def probe() -> None:
        ran.append("probe")

    services.periodic.every("probe", 0.2, probe)
    app = create_app(services, runtime=True)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", services.settings.port).start()
    origin = f"http://127.0.0.1:{services.settings.port}"
    base = f"{origin}/playground/api/inbox"
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(base, params={"user": "Ann"}) as anonymous:
                assert anonymous.status == 401  # nobody reads an inbox without signing in
            await sign_in_http(http, app, origin)
            messages: list[dict[str, object]] = []
            for _ in range(100):
                async with http.get(base, params={"user": "Ann", "after": "0"}) as response:
                    data = await response.json()
                messages = data["messages"]
                if messages:
                    break
                await asyncio.sleep(0.1)
            assert len(messages) == 1
            html = str(messages[0]["html"])
            assert "Introduction" in html and "Your scheduled lesson" in html
            async with http.get(base, params={"user": "Ann", "after": str(data["last"])}) as again:
                assert (await again.json())["messages"] == []
            async with http.get(base, params={"user": "<script>"}) as bad:
                assert bad.status == 400
            async with http.get(base, params={"user": "Ann", "after": "9" * 26}) as huge:
                assert huge.status == 400
        async with services.database.transaction() as session:
            [worker] = list(await session.scalars(select(DeliveryWorker)))
            jobs = set(await session.scalars(text("SELECT id FROM apscheduler_jobs")))
        assert worker.leader  # SQLite: the one process leads
        assert {"job-delivery-tick", "job-delivery-plan", "job-badges", "job-reviews"} <= jobs
        assert ran  # features' periodic work runs on the leader too
    finally:
        await runner.cleanup()
