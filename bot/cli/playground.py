"""`microcred playground link`: a fresh sign-in link for the local web playground."""

from __future__ import annotations

from urllib.parse import urlencode

import click

from bot.cli.runtime import settings
from bot.web.signin import sign_in_link, signin_key
from bot.web.surfaces import local_base_url


@click.group("playground")
def playground() -> None:
    """The local web playground."""


@playground.command("link")
@click.argument("name", required=False)
def link(name: str | None) -> None:
    """Print a link that signs one browser in to the playground (once, within an hour).

    With NAME, the playground opens chatting as that learner.
    """
    current = settings()
    next_path = f"/?{urlencode({'as': name.strip()})}" if name and name.strip() else "/"
    click.echo(sign_in_link(signin_key(current.keys_dir), local_base_url(current), next_path))


def register(main: click.Group) -> None:
    main.add_command(playground)
