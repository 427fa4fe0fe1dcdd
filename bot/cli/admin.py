"""Admin command groups for the organisation model, registered together."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Each admin module adds its own group; missing ones are simply not there yet."""
    import importlib

    for name in (
        "people",
        "cohorts",
        "roles",
        "bindings",
        "report",
        "learners",
        "teams_app",
        "badges",
        "scores",
        "reviews",
        "schedule",
    ):
        try:
            module = importlib.import_module(f"bot.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.cli.{name}":
                raise
            continue
        module.register(main)
