"""`microcred teams-app package`: the zip an admin uploads to Microsoft Teams."""

from __future__ import annotations

from pathlib import Path

import click

from bot.settings import Settings

DEFAULT_OUTPUT = Path("microcred-teams.zip")


@click.group("teams-app")
def teams_app() -> None:
    """The Microsoft Teams app package."""


@teams_app.command("package")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the zip.",
)
@click.option("--version", "version", default="1.0.0", show_default=True, help="App version.")
@click.option("--developer", default="microcred", show_default=True, help="Publisher name.")
@click.option("--privacy-url", default="", help="Privacy page (default PUBLIC_BASE_URL/privacy).")
@click.option("--terms-url", default="", help="Terms page (default PUBLIC_BASE_URL/terms).")
def package(output: Path, version: str, developer: str, privacy_url: str, terms_url: str) -> None:
    """Build the app package from MICROSOFT_APP_ID and PUBLIC_BASE_URL."""
    from bot.channels.teams.app_package import PackageError, PackageOptions, build_package

    options = PackageOptions(version, developer, privacy_url, terms_url)
    try:
        data = build_package(Settings.from_env(), options)
    except PackageError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_bytes(data)
    click.echo(
        f"Wrote {output} ({len(data)} bytes). Upload it in Teams (Apps → Manage your apps → "
        "Upload an app) or in the Teams admin center."
    )


def register(main: click.Group) -> None:
    main.add_command(teams_app)
