"""`microcred worker`: inbox workers beside `serve --no-worker` edges (PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
import signal

import click

from bot.settings import Settings

log = logging.getLogger("bot.cli.worker")


async def _work(settings: Settings, concurrency: int, skip_invalid: bool) -> None:
    from bot.application import Application
    from bot.channels.slack.app import build_slack, inbox_worker

    application = Application.build(settings, skip_invalid=skip_invalid)
    try:
        await application.database.check()
        channel = build_slack(
            settings,
            application.router,
            application.database,
            tasks=application.tasks,
            worker=False,
        )
        application.register(channel.messenger)
        worker = inbox_worker(
            settings, application.database, channel.listeners, concurrency=concurrency
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        await channel.session.open()
        await worker.start()
        click.echo(f"microcred worker {worker.worker} is answering stored Slack events")
        try:
            await stop.wait()
        finally:
            await worker.stop()
            await channel.background.drain()
            await channel.session.close()
    finally:
        await application.stop()


@click.command("worker")
@click.option(
    "--concurrency",
    type=int,
    default=0,
    help="Learners answered at once (default MICROCRED_INBOX_CONCURRENCY, 16).",
)
@click.option("--skip-invalid", is_flag=True, help="Start without programs that have problems.")
def worker(concurrency: int, skip_invalid: bool) -> None:
    """Run an inbox worker: take stored Slack events (each learner's in order) and answer them.

    Needs PostgreSQL (rows are claimed with FOR UPDATE SKIP LOCKED). On SQLite the one
    `microcred serve` process runs the worker itself."""
    from bot.channels.slack.app import slack_problem
    from bot.redaction import install_redaction
    from storage.db import DatabaseUnavailable

    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    install_redaction(settings)
    if not settings.database_url.startswith("postgresql"):
        raise click.ClickException(
            "`microcred worker` needs PostgreSQL (DATABASE_URL=postgresql://…); on SQLite "
            "`microcred serve` runs the inbox worker in its one process"
        )
    problem = slack_problem(settings)
    if problem is not None:
        raise click.ClickException(f"Slack is not configured: {problem}")
    try:
        asyncio.run(_work(settings, concurrency, skip_invalid))
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def register(main: click.Group) -> None:
    main.add_command(worker)
