"""Mount Slack on the project's aiohttp app: POST /slack/events, OAuth pages, Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.channels.slack.app import SlackChannel, build_slack, slack_problem
from bot.channels.slack.guard import check, parse, refused_status, signed
from bot.channels.slack.payloads import BadPayload
from bot.core.middleware import Router
from bot.core.tasks import Tasks
from bot.settings import Settings
from storage.db import Database

log = logging.getLogger("bot.channels.slack")
SLACK = web.AppKey("slack", SlackChannel)
EVENTS_PATH = "/slack/events"


def events_handler(channel: SlackChannel) -> Callable[[web.Request], Awaitable[web.Response]]:
    """POST /slack/events: the signature first, on the raw body; then the shape; then Bolt."""
    app = channel.app
    verifier = SignatureVerifier(channel.settings.slack_signing_secret)

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        if not signed(verifier, raw, request.headers):
            log.info("refused an unsigned or stale Slack request from %s", request.remote)
            return web.Response(status=401)
        body = None
        try:
            body = parse(raw, request.content_type)
            check(body)
        except BadPayload as exc:
            log.warning("refused a Slack request: %s", exc)
            return web.Response(status=refused_status(body))
        text = raw.decode("utf-8")  # what `parse` read: Bolt sees exactly the checked body
        headers: dict[str, str | Sequence[str]] = dict(request.headers)
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    return events


def routes(channel: SlackChannel) -> list[web.AbstractRouteDef]:
    """Events, slash commands and interactivity on one path, as Bolt expects; OAuth pages."""
    app = channel.app
    table: list[web.AbstractRouteDef] = []
    if channel.http:
        table.append(web.post(EVENTS_PATH, events_handler(channel)))
    flow = app.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request))
            )

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request))
            )

        table += [web.get(flow.install_path, install), web.get(flow.redirect_uri_path, redirect)]
    return table


def mount_slack(
    app: web.Application, settings: Settings, router: Router, database: Database, tasks: Tasks
) -> SlackChannel | None:
    """Add Slack to `app` when it is configured; otherwise say in one line that it is off."""
    problem = slack_problem(settings)
    if problem is not None:
        log.info("Slack is off: %s", problem)
        return None
    channel = build_slack(settings, router, database, tasks=tasks)
    app[SLACK] = channel
    app.router.add_routes(routes(channel))
    app.cleanup_ctx.append(channel.lifespan)
    modes = [
        m
        for m, on in (
            ("HTTP", channel.http),
            ("Socket Mode", bool(settings.slack_app_token)),
        )
        if on
    ]
    log.info("Slack is on (%s%s)", " + ".join(modes), ", OAuth" if channel.oauth else "")
    return channel
