"""Learner notices (re-scored answers, badges decided later) become outbox messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.copy import t
from bot.core.views import Context, Header, Text, message
from bot.delivery.outbox import queued
from storage.queries.assessment import claim_undelivered_notices
from storage.queries.outbox import existing_outbox_keys, insert_outbox_rows
from storage.queries.people import identities_by_person, workspaces_of

BATCH = 200


def _own_identity(identities: list[str], workspace_id: str) -> str | None:
    """The person's identity in their own workspace (`slack:T1:U1` for `slack:T1`)."""
    prefix = workspace_id + ":"
    return next(
        (i for i in identities if i.startswith(prefix) and ":" not in i[len(prefix) :]), None
    )


async def queue_notices(session: AsyncSession, *, now: datetime, worker: str) -> int:
    """Move undelivered notices into the outbox once each (keyed by notice id)."""
    notices = await claim_undelivered_notices(session, limit=BATCH)
    if not notices:
        return 0
    people = {n.person_id for n in notices}
    workspaces = await workspaces_of(session, person_ids=people)
    identities = await identities_by_person(session, person_ids=people)
    keys = [f"notice:{n.id}" for n in notices]
    already = await existing_outbox_keys(session, keys=keys)
    rows = []
    for notice, key in zip(notices, keys, strict=True):
        notice.delivered_at = now
        to = _own_identity(
            identities.get(notice.person_id, []), workspaces.get(notice.person_id, "")
        )
        if to is None or key in already:
            continue
        shown = message(
            Header(t("notice.title")),
            Text(notice.text),
            Context(t("notice.progress_hint")),
            fallback=t("notice.title"),
            key=key,
        )
        rows.append(
            queued(
                key=key,
                identity=to,
                workspace_id=notice.workspace_id,
                message=shown,
                kind="notice",
                due_at=now,
                worker=worker,
            )
        )
    await insert_outbox_rows(session, rows=rows)
    return len(rows)
