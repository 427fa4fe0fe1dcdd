"""The audit log: record an admin action, list entries, export and anonymise a person's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditAction, AuditEntry, Identity, Person, Surface
from storage.models.audit import ERASED
from storage.types import utcnow


@dataclass(frozen=True)
class AuditRow:
    occurred_at: datetime
    workspace_id: str
    actor: str
    surface: str
    action: str
    subject: str
    target: str
    changes: dict[str, Any]


async def _identity_in(session: AsyncSession, person: Person) -> str:
    """The person's identity in their own workspace (else any), for naming the subject."""
    rows = list(
        await session.scalars(
            select(Identity.identity).where(Identity.person_id == person.id).order_by(Identity.id)
        )
    )
    home = [i for i in rows if i.startswith(f"{person.workspace_id}:")]
    return (home or rows or [f"person:{person.id}"])[0]


async def record_audit(
    session: AsyncSession,
    *,
    workspace_id: str,
    actor: str,
    surface: Surface,
    action: AuditAction,
    target: str,
    subject: Person | None = None,
    changes: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEntry:
    """Add one entry to the caller's transaction: it commits (or rolls back) with the change."""
    entry = AuditEntry(
        workspace_id=workspace_id,
        occurred_at=occurred_at or utcnow(),
        actor=actor[:255],
        surface=Surface(surface).value,
        action=AuditAction(action).value,
        subject_id=subject.id if subject is not None else None,
        subject=await _identity_in(session, subject) if subject is not None else "",
        target=target,
        changes=changes or {},
    )
    session.add(entry)
    await session.flush()
    return entry


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        entry.occurred_at,
        entry.workspace_id,
        entry.actor,
        entry.surface,
        entry.action,
        entry.subject,
        entry.target,
        dict(entry.changes or {}),
    )


async def audit_rows(
    session: AsyncSession,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    workspace_id: str | None = None,
    limit: int = 10_000,
) -> list[AuditRow]:
    """Entries matching the filters, oldest first (the newest `limit` of them)."""
    query = select(AuditEntry).order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    if since is not None:
        query = query.where(AuditEntry.occurred_at >= since)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if workspace_id is not None:
        query = query.where(AuditEntry.workspace_id == workspace_id)
    rows = [_row(e) for e in await session.scalars(query.limit(limit))]
    return rows[::-1]


def _exported(row: AuditRow) -> dict[str, Any]:
    return {
        "occurred_at": row.occurred_at.isoformat(),
        "actor": row.actor,
        "surface": row.surface,
        "action": row.action,
        "target": row.target,
        "changes": row.changes,
    }


async def export_audit(session: AsyncSession, *, person_id: int) -> dict[str, Any]:
    """Audit entries about the person, and the admin actions they took themselves."""
    about = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_id == person_id)
        .order_by(AuditEntry.occurred_at, AuditEntry.id)
    )
    mine = select(Identity.identity).where(Identity.person_id == person_id)
    by = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.actor.in_(mine))
        .order_by(AuditEntry.occurred_at, AuditEntry.id)
    )
    return {
        "about_you": [_exported(_row(e)) for e in about],
        "by_you": [_exported(_row(e)) for e in by],
    }


async def anonymise_audit(session: AsyncSession, *, person_id: int) -> int:
    """Before a person is erased: keep their entries, without who they were.

    Entries about them lose the subject; entries they made keep `erased` as the actor.
    """
    about = await session.execute(
        update(AuditEntry)
        .where(AuditEntry.subject_id == person_id)
        .values(subject_id=None, subject=ERASED)
    )
    mine = select(Identity.identity).where(Identity.person_id == person_id)
    by = await session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor.in_(mine))
        .values(actor=ERASED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(about, "rowcount", 0)) + int(getattr(by, "rowcount", 0))
