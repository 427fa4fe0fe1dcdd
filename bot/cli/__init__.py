"""The `microcred` command line."""

from __future__ import annotations

import click

from bot.cli import admin, chat, content, db, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="microcred")
def main() -> None:
    """microcred: micro-credential programs in Slack, Teams, the terminal and the browser."""


for module in (content, db, serve, chat, admin):
    module.register(main)
