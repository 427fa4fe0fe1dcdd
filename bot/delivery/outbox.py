"""The outbox: messages with an idempotency key, claimed under a lease, confirmed once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.core.views import Message
from bot.delivery.codec import attach_template, dump_message, template_wanted
from storage.db import Database
from storage.models import AdminAlert, Enrollment, EnrollmentStatus, OutboxStatus
from storage.queries.outbox import (
    Claimed,
    claim_outbox_rows,
    mark_dead,
    mark_sent,
    release_claimed,
    templates_by_digest,
)

log = logging.getLogger(__name__)


def platform_of(identity: str) -> str:
    return identity.split(":", 1)[0]


def queued(
    *,
    key: str,
    identity: str,
    workspace_id: str,
    message: Message,
    kind: str,
    due_at: datetime,
    worker: str,
    enrollment_id: int | None = None,
    stored: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A new outbox row's values (insert them in the transaction that decided to send);
    `stored` is the message's stored form when the caller has it (`SharedMessages`)."""
    return {
        "key": key,
        "workspace_id": workspace_id,
        "platform": platform_of(identity),
        "identity": identity,
        "enrollment_id": enrollment_id,
        "kind": kind,
        "message": dump_message(message) if stored is None else stored,
        "status": OutboxStatus.PENDING,
        "due_at": due_at,
        "tries": 0,
        "failures": 0,
        "uncertain": False,
        "enqueued_by": worker,
        "created_at": due_at,
    }


async def claim(
    database: Database,
    *,
    worker: str,
    platforms: tuple[str, ...],
    limit: int,
    now: datetime,
    lease: timedelta,
    takeover: bool = True,
) -> list[Claimed]:
    """Lease up to `limit` due rows (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL).

    With `takeover`, rows whose lease expired come first: each is taken over and marked
    uncertain (its last send may have happened, so it is looked up before it is sent again).
    """
    if limit <= 0 or not platforms:
        return []
    async with database.transaction() as session:
        rows = await claim_outbox_rows(
            session,
            worker=worker,
            platforms=platforms,
            limit=limit,
            now=now,
            lease=lease,
            takeover=takeover,
        )
        wanted = {d for row in rows if (d := template_wanted(row.message)) is not None}
        templates = await templates_by_digest(session, digests=wanted)
    for row in rows:
        attach_template(row.message, templates)
    return rows


async def confirm(
    database: Database, sent: list[tuple[Claimed, str, datetime]], *, worker: str
) -> int:
    """Mark rows sent with their platform references; returns how many were still ours."""
    if not sent:
        return 0
    async with database.transaction() as session:
        return await mark_sent(session, worker=worker, sent=sent)


async def release(
    database: Database,
    claimed: Claimed,
    *,
    worker: str,
    due_at: datetime,
    error: str,
    failed: bool,
    uncertain: bool,
) -> None:
    """Give a row back for a later try (a 429, a 5xx, a timeout)."""
    async with database.transaction() as session:
        await release_claimed(
            session,
            claimed=claimed,
            worker=worker,
            due_at=due_at,
            error=error,
            failed=failed,
            uncertain=uncertain,
        )


async def dead_letter(
    database: Database, claimed: Claimed, *, worker: str, error: str, now: datetime, pause: bool
) -> None:
    """Stop trying: the row is dead, an admin alert is stored and logged."""
    async with database.transaction() as session:
        if not await mark_dead(session, claimed=claimed, worker=worker, error=error):
            return
        session.add(
            AdminAlert(
                workspace_id=claimed.workspace_id,
                kind="unreachable" if pause else "dead_letter",
                subject=claimed.key[:255],
                detail=error.replace(claimed.identity, "the learner")[:1000],
                created_at=now,
            )
        )
        if pause and claimed.enrollment_id is not None:
            enrollment = await session.get(Enrollment, claimed.enrollment_id)
            if enrollment is not None and enrollment.status == EnrollmentStatus.ACTIVE:
                enrollment.status = EnrollmentStatus.PAUSED
    log.error(
        "delivery alert: gave up on %s to %s after %d tries: %s",
        claimed.key,
        claimed.identity,
        claimed.tries,
        error,
    )
