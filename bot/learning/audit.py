"""Who is acting (a chat identity or `cli:<os user>`), and recording what they did."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.acting import acting_identity
from storage.models import AuditAction, AuditEntry, Person, Surface
from storage.queries.audit import record_audit

PLATFORM_SURFACES = {"local": Surface.PLAYGROUND, "slack": Surface.SLACK, "teams": Surface.TEAMS}


@dataclass(frozen=True)
class AuditActor:
    identity: str
    surface: Surface


def surface_of(identity: str) -> Surface:
    """`local:…` → playground, `slack:…` → slack, `teams:…` → teams, anything else → cli."""
    return PLATFORM_SURFACES.get(identity.split(":", 1)[0], Surface.CLI)


def cli_actor() -> AuditActor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return AuditActor(f"cli:{user}", Surface.CLI)


def current_actor() -> AuditActor:
    """The chat identity whose event is being handled; outside one, the command line's user."""
    identity = acting_identity()
    if identity is None:
        return cli_actor()
    return AuditActor(identity, surface_of(identity))


async def audit(
    session: AsyncSession,
    action: AuditAction,
    *,
    workspace_id: str,
    target: str,
    subject: Person | None = None,
    changes: dict[str, Any] | None = None,
    actor: AuditActor | None = None,
) -> AuditEntry:
    """Record `action` by the current actor in the session's transaction."""
    who = actor or current_actor()
    return await record_audit(
        session,
        workspace_id=workspace_id,
        actor=who.identity,
        surface=who.surface,
        action=action,
        target=target,
        subject=subject,
        changes=changes,
    )
