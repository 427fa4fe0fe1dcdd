"""Peer review's sweep runs with the server: reminders, reassignment, escalation, retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.container import Services

log = logging.getLogger(__name__)


def attach_reviews(app: web.Application, services: Services) -> None:
    """Sweep peer review every tick while `app` runs (after Slack and Teams start).

    Safe in every process: each submission is locked while it is repaired and each post is
    claimed before it is sent. Off with scheduled delivery (MICROCRED_DELIVERY=0).
    """
    reviews = services.reviews
    if reviews is None or not services.settings.delivery:
        return
    every = max(1.0, services.settings.tick_seconds)

    async def loop() -> None:
        while True:
            try:
                await reviews.sweep()
            except Exception:  # a database outage: logged, tried again next tick
                log.exception("peer review sweep failed")
            await asyncio.sleep(every)

    async def lifespan(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop(), name="peer-review-sweep")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await reviews.drain()

    app.cleanup_ctx.append(lifespan)
