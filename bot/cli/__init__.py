"""The `microcred` command line."""

from __future__ import annotations

import click

from bot.cli import (
    badges,
    bindings,
    chat,
    cohorts,
    content,
    db,
    learners,
    people,
    playground,
    report,
    reviews,
    roles,
    schedule,
    scores,
    serve,
    teams_app,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="microcred")
def main() -> None:
    """microcred: micro-credential programs in Slack, Teams, the terminal and the browser."""


for module in (
    content,
    db,
    serve,
    playground,
    chat,
    people,
    cohorts,
    roles,
    bindings,
    report,
    learners,
    scores,
    reviews,
    badges,
    schedule,
    teams_app,
):
    module.register(main)
