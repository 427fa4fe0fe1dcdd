"""The `microcred` command line."""

from __future__ import annotations

import click

from bot.cli import (
    audit,
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
    secrets,
    serve,
    teams_app,
    worker,
)
from bot.redaction import install_redaction
from bot.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="microcred")
def main() -> None:
    """microcred: micro-credential programs in Slack, Teams, the terminal and the browser."""
    install_redaction(Settings.from_env())


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
    audit,
    secrets,
    schedule,
    teams_app,
    worker,
):
    module.register(main)
