"""The aiohttp application: health, the playground; Slack and Teams mount here too."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import click
from aiohttp import web

from bot.application import Application
from bot.channels.slack.mount import mount_slack
from bot.channels.teams.app import mount_teams
from bot.channels.web.inbox import inbox_routes
from bot.channels.web.playground import Playground
from bot.content import InvalidContent
from bot.logs import configure_logging
from bot.settings import Settings
from bot.web.badges import badge_routes
from bot.web.guard import SignedInOnly, security_headers
from bot.web.metrics import metrics_routes, timing
from bot.web.pages import page_routes
from bot.web.signin import SignIn, sign_in_link, signin_key
from bot.web.surfaces import local_base_url, playground_decision, served_hosts
from storage.db import DatabaseUnavailable
from storage.queries.connections import ping, read_version_table
from storage.queries.events import DatabaseEventClaims

log = logging.getLogger(__name__)
APPLICATION = web.AppKey("application", Application)
SIGNIN = web.AppKey("signin", SignIn)
SURFACES = web.AppKey("surfaces", dict)


async def healthz(request: web.Request) -> web.Response:
    application = request.app[APPLICATION]
    try:
        async with application.database.engine.connect() as conn:
            await ping(connection=conn)
    except Exception:  # any failure is an outage; its details (host, port) stay in the log
        log.warning("health check: database unreachable", exc_info=True)
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "programs": sorted(application.catalog.programs)})


def create_app(application: Application, *, runtime: bool = False) -> web.Application:
    """The web application for `application` (used by `serve` and by tests).

    Slack and Teams mount first and register their messengers; with `runtime`, scheduled
    delivery and the periodic sweeps then start (after the channels' clients open) and stop
    before they close. Stopping the web application stops `application`, its database last
    (after the channels' inbox workers finished their rows).
    """
    settings = application.settings
    signin = SignIn(
        signin_key(settings.keys_dir),
        DatabaseEventClaims(application.database),
        secure_cookie=settings.base_url.startswith("https://"),
    )
    playground = playground_decision(settings)
    guard = SignedInOnly(signin, hosts=served_hosts(settings))
    if playground.mounted:
        guard = SignedInOnly(
            signin, paths=("/",), prefixes=("/playground/api/",), hosts=served_hosts(settings)
        )
    middlewares = [timing(application.metrics), guard.middleware]  # timing: ack latency
    app = web.Application(client_max_size=1024 * 1024, middlewares=middlewares)
    app[APPLICATION] = application
    app[SIGNIN] = signin
    app.on_response_prepare.append(security_headers)
    app.router.add_get("/healthz", healthz)
    app.router.add_routes(metrics_routes(application.metrics, settings.metrics_token))
    app.router.add_routes(page_routes())
    if playground.mounted:
        app.router.add_routes(signin.routes())
        app.router.add_routes(Playground(application.router).routes())
        app.router.add_routes(inbox_routes(application.database))  # scheduled delivery, local
    app[SURFACES] = {"playground": playground}
    app.router.add_routes(badge_routes(application.credentials))  # public badges, OB 2.0/3.0

    async def closing(_: web.Application) -> AsyncIterator[None]:
        yield
        await application.stop()  # cleanups run in reverse: this one after the channels'

    app.cleanup_ctx.append(closing)
    for channel in (
        mount_teams(app, settings, application.router, application.database),
        mount_slack(app, settings, application.router, application.database, application.tasks),
    ):
        if channel is not None:
            application.register(channel.messenger)

    async def lifespan(_: web.Application) -> AsyncIterator[None]:
        if runtime:
            await application.start()
        yield
        await application.stop_runtime()

    app.cleanup_ctx.append(lifespan)
    return app


async def check_schema(application: Application) -> None:
    """Refuse to serve a database whose schema was never created."""
    await application.database.check()
    async with application.database.engine.connect() as conn:
        try:
            await read_version_table(connection=conn)

        except Exception as exc:
            raise DatabaseUnavailable(
                "the database has no schema yet: run `microcred db upgrade` first"
            ) from exc
    # Connections belong to this check's event loop; the server opens its own.
    await application.database.engine.dispose()


def run_server(
    *, host: str | None, port: int | None, skip_invalid: bool, worker: bool = True
) -> None:
    """Build everything, check it, and serve until interrupted (`worker=False`: no inbox
    worker in this process, an edge only)."""
    settings = Settings.from_env()
    # Badge URLs default to http://HOST:PORT, so the command line's choice must reach them.
    settings = replace(settings, host=host or settings.host, port=port or settings.port)
    if not worker:
        settings = replace(settings, inbox_worker=False)
    configure_logging(settings)  # text or JSON lines, secrets redacted
    try:
        application = Application.build(settings, skip_invalid=skip_invalid)
    except InvalidContent as exc:
        raise click.ClickException(
            f"the program library has problems (fix them, or start with --skip-invalid):\n{exc}"
        ) from exc
    for name in application.catalog.skipped:
        log.warning(
            "program '%s' has problems and was not loaded (see `microcred content validate`)", name
        )
    try:
        asyncio.run(check_schema(application))
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    host = host or settings.host
    port = port or settings.port
    click.echo(
        f"microcred is serving {len(application.catalog.programs)} program(s) on http://{host}:{port}/"
    )
    app = create_app(application, runtime=True)
    playground = app[SURFACES]["playground"]
    if playground.mounted:
        log.info("playground mounted on %s:%s (%s)", host, port, playground.reason)
        link = sign_in_link(signin_key(settings.keys_dir), local_base_url(settings))
        click.echo(
            f"Open the playground (the link signs in one browser, once, within an hour):\n"
            f"  {link}\nFor another link: microcred playground link"
        )
    else:
        log.warning("playground not mounted on %s:%s: %s", host, port, playground.reason)
    web.run_app(app, host=host, port=port, print=None)
