"""`microcred chat --user NAME`: learn in the terminal, interactively or from a pipe."""

from __future__ import annotations

import sys

import click

from bot.application import Application
from bot.channels.console.markdown import PLAIN, Style
from bot.channels.console.render import render_reply
from bot.cli.runtime import run_with_services
from bot.core.events import Actor, Inbound, TextInput


@click.command("chat")
@click.option("--user", required=True, help="Learner name; the identity is local:NAME.")
def chat(user: str) -> None:
    """Chat with the bot in the terminal (one input per line; Ctrl-D ends)."""
    name = user.strip()
    if not name or ":" in name:
        raise click.BadParameter("use a plain name without ':'", param_hint="--user")
    interactive = sys.stdin.isatty()

    async def session(services: Application) -> None:
        actor = Actor("local", name.lower(), display_name=name)

        style = Style.ansi() if sys.stdout.isatty() else PLAIN

        async def send(text: str) -> None:
            reply = await services.router.handle(Inbound(actor, TextInput(text)))
            click.echo(render_reply(reply, style))

        if interactive:
            await send("help")
        while True:
            if interactive:
                click.echo()
            line = _prompt() if interactive else sys.stdin.readline()
            if not line:
                break
            text = line.rstrip("\n")
            if text.strip():
                if not interactive:
                    click.echo(f"> {text}")
                await send(text)

    run_with_services(session)


def _prompt() -> str | None:
    try:
        return input(click.style("you> ", bold=True)) + "\n"
    except EOFError:
        return None


def register(main: click.Group) -> None:
    main.add_command(chat)
