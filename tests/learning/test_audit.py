"""Who acted, and the audit entry that names them: a chat identity, or the command line's user."""

from __future__ import annotations

import getpass

import pytest

from bot.core.acting import CurrentActor
from bot.core.events import Actor, Inbound, TextInput
from bot.core.views import Reply
from bot.learning.audit import AuditActor, audit, cli_actor, current_actor, surface_of
from storage.db import Database
from storage.models import AuditAction, Surface
from storage.queries.audit import audit_rows
from storage.queries.people import ensure_person


@pytest.mark.parametrize(
    ("identity", "surface"),
    [
        ("local:ann", Surface.PLAYGROUND),
        ("slack:T1:U1", Surface.SLACK),
        ("teams:TEN:aad-1", Surface.TEAMS),
        ("cli:root", Surface.CLI),
        ("whoever", Surface.CLI),
    ],
)
def test_the_surface_is_read_from_the_identity(identity: str, surface: Surface) -> None:
    assert surface_of(identity) == surface


async def test_the_actor_is_whoever_sent_the_event_being_handled() -> None:
    seen: list[AuditActor] = []

    async def handler(inbound: Inbound) -> Reply:
        seen.append(current_actor())
        return Reply()

    inbound = Inbound(Actor("slack:T1", "U7"), TextInput("grant"))
    await CurrentActor()(inbound, handler)
    assert seen == [AuditActor("slack:T1:U7", Surface.SLACK)]
    assert current_actor() == cli_actor()  # once handled, it is the shell's user again


def test_outside_an_event_the_actor_is_the_command_lines_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "dana")
    assert current_actor() == AuditActor("cli:dana", Surface.CLI)

    def no_user() -> str:
        raise KeyError("uid 1000 has no passwd entry")  # a container without a user name

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert current_actor() == AuditActor("cli:unknown", Surface.CLI)


async def test_an_entry_names_the_actor_the_subject_and_the_change(
    sqlite_database: Database,
) -> None:
    async def handler(inbound: Inbound) -> Reply:
        async with sqlite_database.transaction() as session:
            ann = await ensure_person(session, identity="slack:T1:U1", display_name="Ann")
            await audit(
                session,
                AuditAction.ROLE_GRANT,
                workspace_id="slack:T1",
                target="role admin",
                subject=ann,
                changes={"role": "admin"},
            )
        return Reply()

    await CurrentActor()(Inbound(Actor("slack:T1", "U9"), TextInput("roles grant")), handler)
    async with sqlite_database.transaction() as session:
        explicit = AuditActor("cli:ops", Surface.CLI)
        await audit(
            session,
            AuditAction.ROLE_REVOKE,
            workspace_id="slack:T1",
            target="role admin",
            actor=explicit,
        )
    async with sqlite_database.transaction() as session:
        entries = await audit_rows(session)
    assert [(e.actor, e.surface, e.action, e.subject, e.target, e.changes) for e in entries] == [
        ("slack:T1:U9", "slack", "role.grant", "slack:T1:U1", "role admin", {"role": "admin"}),
        ("cli:ops", "cli", "role.revoke", "", "role admin", {}),
    ]
