"""Scheduled delivery starts and stops with the server, sending through the mounted channels."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.channels.slack import SLACK
from bot.channels.slack.reconcile import SlackOutbound
from bot.channels.teams import TEAMS
from bot.container import Services

log = logging.getLogger(__name__)


def attach_delivery(app: web.Application, services: Services) -> None:
    """Run the outbox dispatcher and stand for scheduler leader while `app` runs.

    Call after Slack and Teams are mounted: delivery starts once their clients are open
    and stops before they close.
    """
    delivery = services.delivery
    if delivery is None or not services.settings.delivery:
        log.info("scheduled delivery is off (MICROCRED_DELIVERY)")
        return

    if services.credentials is not None:  # re-certification reminders, stuck announcements
        delivery.every("badges", 300, services.credentials.sweep)
    if services.engagement is not None:  # challenge starts and ends, leaderboard posts
        delivery.every("engagement", 60, services.engagement.sweep)
    if services.reviews is not None:  # reviewer reminders, reassignment, escalation
        delivery.every("reviews", 300, services.reviews.sweep)

    async def lifespan(running: web.Application) -> AsyncIterator[None]:
        slack = running.get(SLACK)
        if slack is not None:
            outbound = SlackOutbound.of(slack)
            delivery.register(outbound, outbound)
        teams = running.get(TEAMS)
        if teams is not None:
            delivery.register(teams.messenger)
        await delivery.start()
        yield
        await delivery.stop()

    app.cleanup_ctx.append(lifespan)
