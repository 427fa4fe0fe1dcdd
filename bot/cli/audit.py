"""`microcred audit list`: who granted, revoked, overrode, awarded, reassigned or rebound what."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from bot.cli.people import workspace_option
from bot.cli.runtime import run_with_db
from storage.db import Database
from storage.queries.audit import AuditRow, audit_rows


def parse_since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """An ISO date or date-time; a naive one is UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO date like 2026-11-30") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def line(row: AuditRow) -> str:
    """One entry: time, actor, surface, action, target (and subject), changes."""
    target = f"{row.target} · {row.subject}" if row.subject else row.target
    changes = json.dumps(row.changes, ensure_ascii=False, sort_keys=True, default=str)
    when = row.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return "  ".join((when, row.actor, row.surface, row.action, target, changes))


@click.group("audit")
def audit_group() -> None:
    """The audit log of admin actions: roles, scores, badges, reviews, bindings, cohorts."""


@audit_group.command("list")
@click.option("--since", callback=parse_since, help="Only entries from this ISO date (UTC) on.")
@click.option("--actor", help="Only entries by this identity, e.g. slack:T1:U1 or cli:alice.")
@workspace_option(None, "Only entries of this workspace (default: every workspace).")
def list_command(since: datetime | None, actor: str | None, workspace: str | None) -> None:
    """One line per entry, newest last: time (UTC), actor, surface, action, target, changes."""

    async def work(db: Database) -> list[AuditRow]:
        async with db.transaction() as session:
            return await audit_rows(session, since=since, actor=actor, workspace_id=workspace)

    rows = run_with_db(work)
    if not rows:
        click.echo("no audit entries match", err=True)
        return
    for row in rows:
        click.echo(line(row))


def register(main: click.Group) -> None:
    main.add_command(audit_group)
