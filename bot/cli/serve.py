"""`microcred serve`: the aiohttp server (playground, health, Slack and Teams endpoints)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 3978).")
@click.option("--skip-invalid", is_flag=True, help="Start without programs that have problems.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Serve the edge only: store and acknowledge Slack events, leave them to `microcred "
    "worker` processes (PostgreSQL).",
)
def serve(host: str | None, port: int | None, skip_invalid: bool, no_worker: bool) -> None:
    """Serve the bot: the web playground at / and GET /healthz; send scheduled lessons."""
    from bot.web.server import run_server

    run_server(host=host, port=port, skip_invalid=skip_invalid, worker=not no_worker)


def register(main: click.Group) -> None:
    main.add_command(serve)
