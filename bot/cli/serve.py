"""`microcred serve`: the aiohttp server (playground, health; Slack and Teams later)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 3978).")
@click.option("--skip-invalid", is_flag=True, help="Start without programs that have problems.")
def serve(host: str | None, port: int | None, skip_invalid: bool) -> None:
    """Serve the bot: the web playground at / and GET /healthz; send scheduled lessons."""
    from bot.web.server import run_server

    run_server(host=host, port=port, skip_invalid=skip_invalid)


def register(main: click.Group) -> None:
    main.add_command(serve)
