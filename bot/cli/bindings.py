"""`microcred bindings set|list`: where a program's announcements, reviews and digests go."""

from __future__ import annotations

import click

from bot.cli.people import workspace_option
from bot.cli.report import known_program, table
from bot.cli.runtime import load_catalog, run_with_db
from bot.learning.audit import audit
from storage.db import Database
from storage.models import AuditAction
from storage.models.org import BINDING_PURPOSES
from storage.queries.org import (
    EVERY_PROGRAM,
    BindingRow,
    binding_rows,
    channel_workspace,
    set_binding,
)
from storage.queries.people import ensure_workspace

CHANNEL_FORMS = "slack:TEAM_ID:CHANNEL_ID, teams:TENANT_ID:CHANNEL_ID or local:NAME"


@click.group("bindings")
def bindings_group() -> None:
    """Channel bindings: the channel each kind of post goes to, per workspace."""


@bindings_group.command("set")
@click.argument("purpose", type=click.Choice(BINDING_PURPOSES, case_sensitive=False))
@click.argument("channel")
@click.option(
    "--program",
    "program_id",
    default=EVERY_PROGRAM,
    show_default=True,
    help="Program id, or * for every program without a binding of its own.",
)
@workspace_option(None, "Workspace (default: the channel's); its platform must be the channel's.")
def set_command(purpose: str, channel: str, program_id: str, workspace: str | None) -> None:
    """Send PURPOSE posts of a program to CHANNEL (slack:TEAM:CHANNEL, teams:TENANT:CHANNEL,
    local:NAME)."""
    purpose = purpose.lower()
    home = channel_workspace(channel)
    if home is None or len(channel) > 255:
        raise click.BadParameter(f"'{channel}' is not a channel: use {CHANNEL_FORMS}")
    workspace = workspace or home
    platform, wanted = home.split(":")[0], workspace.split(":")[0]
    if platform != wanted:
        raise click.UsageError(
            f"{channel} is a {platform} channel, but workspace {workspace} is on {wanted}"
        )
    if program_id != EVERY_PROGRAM:
        known_program(load_catalog(), program_id)

    async def work(db: Database) -> str | None:
        async with db.transaction() as session:
            await ensure_workspace(session, workspace_id=workspace)
            previous = await set_binding(
                session,
                workspace_id=workspace,
                purpose=purpose,
                program_id=program_id,
                channel=channel,
            )
            if previous != channel:
                await audit(
                    session,
                    AuditAction.BINDING_SET,
                    workspace_id=workspace,
                    target=f"{purpose} of {program_id}",
                    changes={"before": previous, "after": channel},
                )
            return previous

    previous = run_with_db(work)
    which = "every program" if program_id == EVERY_PROGRAM else f"program {program_id}"
    was = f" (was {previous})" if previous and previous != channel else ""
    click.echo(f"{purpose} of {which} in workspace {workspace} go to {channel}{was}")


@bindings_group.command("list")
@workspace_option()
def list_bindings(workspace: str) -> None:
    """List the channel bindings of a workspace (* = every program without its own)."""

    async def work(db: Database) -> list[BindingRow]:
        async with db.transaction() as session:
            return await binding_rows(session, workspace_id=workspace)

    rows = run_with_db(work)
    if not rows:
        click.echo(f"no channel bindings in workspace {workspace}", err=True)
        return
    click.echo(
        table(
            ("purpose", "program", "channel"), [(r.purpose, r.program_id, r.channel) for r in rows]
        )
    )


def register(main: click.Group) -> None:
    main.add_command(bindings_group)
