"""`microcred badges award|revoke|list|verify|rotate-key|policy|sweep`: Open Badges admin."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.application import Application
from bot.cli.people import workspace_option
from bot.cli.runtime import run_with_services, settings
from bot.core.errors import MicrocredError
from bot.credentials import Credentials, verify
from bot.credentials.keys import rotate
from storage.models.badges import RECOGNITION_POLICIES
from storage.queries.badges import set_recognition_policy
from storage.queries.org import workspace_problem
from storage.queries.people import ensure_workspace, workspace_of

T = TypeVar("T")
IDENTITY_FORMS = "slack:TEAM:USER, teams:TENANT:AADID or local:NAME"


def _run(work: Callable[[Credentials], Awaitable[T]]) -> T:
    """Run `work` with the badges feature; known failures become one clear error line."""

    async def with_feature(services: Application) -> T:
        try:
            return await work(services.credentials)
        finally:
            await services.credentials.announcer.drain()

    try:
        return run_with_services(with_feature)
    except MicrocredError as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(
            f"the database refused: {reason} (run `microcred db upgrade` if the schema is old)"
        ) from exc


def _identity(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        problem = workspace_problem(workspace_of(value))
    except ValueError:
        problem = "no workspace"
    if problem:
        raise click.BadParameter(f"'{value}' is not an identity: use {IDENTITY_FORMS}")
    return value


USER = click.option(
    "--user", "identity", required=True, metavar="IDENTITY", callback=_identity, help=IDENTITY_FORMS
)


@click.group("badges")
def badges_group() -> None:
    """Open Badges 2.0 / 3.0: award, revoke, list and verify badges; manage signing keys."""


@badges_group.command("award")
@USER
@click.option("--program", "program_id", required=True, help="Program id, e.g. secure-coding.")
@click.option("--email", default="", help="E-mail to put on the badge (else the profile's).")
def award_command(identity: str, program_id: str, email: str) -> None:
    """Award a program's badge (recognition of prior learning); prints one JSON line."""

    async def work(feature: Credentials) -> dict[str, Any]:
        awarded = await feature.award_by_admin(identity, program_id, email)
        return awarded.as_dict(feature.ctx)

    result = _run(work)
    click.echo(json.dumps(result, ensure_ascii=False))
    if not result["issued"]:
        click.echo(
            "note: no e-mail is known for this person; the credentials are issued once they "
            "give one (`badges email …` in chat) or you pass --email",
            err=True,
        )


@badges_group.command("revoke")
@click.argument("award_id")
@click.option("--reason", required=True, help="Published with the revocation.")
def revoke_command(award_id: str, reason: str) -> None:
    """Revoke an award; its page, assertion and status list say so within a minute."""

    async def work(feature: Credentials) -> tuple[str, bool]:
        view, changed = await feature.revoke_by_admin(award_id, reason)
        return f"{view.name} of {view.holder or 'an erased person'} ({view.uid})", changed

    shown, changed = _run(work)
    if changed:
        click.echo(f"revoked {shown}: {reason}")
    else:
        click.echo(f"{shown} was already revoked")


@badges_group.command("list")
@USER
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
def list_command(identity: str, as_json: bool) -> None:
    """A person's badges with their status."""

    async def work(feature: Credentials) -> list[dict[str, Any]]:
        rows = []
        for view in await feature.list_for(identity):
            row = {
                "id": view.uid,
                "program": view.program_id,
                "badge": view.name,
                "edition": view.edition,
                "status": view.status(feature.ctx.now()),
                "status_text": view.status_text(feature.ctx.now()),
                "issued": view.issued,
                "awarded_at": view.awarded_at.isoformat(),
                "expires_at": view.expires_at.isoformat() if view.expires_at else None,
                "assertion_url": feature.ctx.urls.assertion(view.uid),
                "credential_url": feature.ctx.urls.credential(view.uid),
                "page_url": feature.ctx.urls.page(view.uid),
            }
            rows.append(row)
        return rows

    rows = _run(work)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"{identity} has no badges")
    for row in rows:
        click.echo(f"{row['id']}  {row['badge']}  {row['status_text']}  {row['page_url']}")


@badges_group.command("verify")
@click.argument("source", metavar="FILE|URL")
@click.option("--recipient", default="", help="Also check the badge was issued to this e-mail.")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
def verify_command(source: str, recipient: str, as_json: bool) -> None:
    """Verify an OB 2.0 assertion or OB 3.0 credential: signature, schema, status, expiry.

    SOURCE is a baked PNG, a JSON file, a VC-JWT file, or a URL of any of them.
    Exits 0 when valid, 1 when not (the reason is printed).
    """
    try:
        result = asyncio.run(verify(source, recipient=recipient))
    except Exception as exc:  # the verifier never raises; this is a last line of defence
        raise click.ClickException(f"could not verify {source}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{result.kind}{f': {result.badge}' if result.badge else ''}")
        for check in result.checks:
            click.echo(f"  {'✓' if check.ok else '✗'} {check.name}: {check.detail}")
        click.echo("VALID" if result.ok else f"INVALID: {result.reason}")
    if not result.ok:
        raise SystemExit(1)


@badges_group.command("rotate-key")
def rotate_command() -> None:
    """Make a new signing key; credentials signed with older keys keep verifying."""
    config = settings()
    if config.signing_key:
        raise click.ClickException(
            "MICROCRED_SIGNING_KEY is set: rotate by giving a new key there, and keep the old "
            f"public key in {config.keys_dir} as <kid>.pub"
        )
    key = rotate(config.keys_dir)
    click.echo(f"new signing key {key.kid} in {config.keys_dir}; older public keys stay published")


@badges_group.command("policy")
@click.argument("policy", type=click.Choice(RECOGNITION_POLICIES))
@workspace_option()
def policy_command(policy: str, workspace: str) -> None:
    """Recognition policy: `ask` the earner before a channel post (default), or `announce`."""

    async def work(feature: Credentials) -> None:
        async with feature.database.transaction() as session:
            await ensure_workspace(session, workspace_id=workspace)
            await set_recognition_policy(session, workspace_id=workspace, policy=policy)

    _run(work)
    click.echo(f"badge announcements in {workspace}: {policy}")


@badges_group.command("sweep")
def sweep_command() -> None:
    """Send due re-certification reminders and retry queued announcements, once."""

    async def work(feature: Credentials) -> int:
        return await feature.sweep()

    click.echo(f"handled {_run(work)} reminder(s) and announcement(s)")


def register(main: click.Group) -> None:
    main.add_command(badges_group)
