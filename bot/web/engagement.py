"""Engagement's sweep runs with the server: challenge posts and weekly digests when due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.container import Services
from bot.engagement import sweep_engagement

log = logging.getLogger(__name__)


def attach_engagement(app: web.Application, services: Services) -> None:
    """Sweep due engagement posts every tick while `app` runs (after Slack and Teams start).

    Safe in every process: each due row is claimed by one sweeper. Off with scheduled
    delivery (MICROCRED_DELIVERY=0).
    """
    engagement = services.engagement
    if engagement is None or not services.settings.delivery:
        return
    every = max(1.0, services.settings.tick_seconds)

    async def loop() -> None:
        while True:
            try:
                await sweep_engagement(engagement)
            except Exception:  # a database outage: logged, tried again next tick
                log.exception("engagement sweep failed")
            await asyncio.sleep(every)

    async def lifespan(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop(), name="engagement-sweep")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await engagement.drain()

    app.cleanup_ctx.append(lifespan)
