"""Re-certification reminders: due rows swept by the scheduler and sent as DMs."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.credentials import messages
from bot.credentials.announce import Announcer
from bot.credentials.view import AwardView
from storage.db import Database
from storage.queries import badges as q

log = logging.getLogger(__name__)


async def send_due_reminders(announcer: Announcer, *, now: datetime | None = None) -> int:
    """DM every due re-certification reminder once; returns how many were handled.

    Only workspaces whose platform has a messenger are swept. Each reminder is claimed
    before it is sent, so concurrent sweeps (several processes) send it once; one whose
    learner is unreachable for good counts as handled and is never retried.
    """
    now = now or announcer.ctx.now()
    database = announcer.database
    async with database.transaction() as session:
        due = await q.due_reminders(session, now=now, platforms=announcer.messengers.platforms)
        people = await q.holders(session, person_ids=[a.person_id for _, a in due if a.person_id])
        work = []
        for reminder, award in due:
            holder, identities = people.get(award.person_id or 0, (None, []))
            identity = next((i for i in identities if i.startswith(f"{award.workspace_id}:")), None)
            work.append((reminder.id, identity, AwardView.of(award, holder), reminder.kind))
    handled = 0
    latest = {view.uid: reminder_id for reminder_id, _, view, _ in work}  # due_at order
    for reminder_id, identity, view, kind in work:
        if not await _mark(database, reminder_id, now):
            continue  # another process claimed it
        handled += 1
        if view.status(now) != "valid" or identity is None or latest[view.uid] != reminder_id:
            continue  # lapsed, unreachable, or superseded by a later reminder due as well
        try:
            message = messages.reminder(view, now)
            await announcer.direct(identity, message, f"badge:{view.uid}:remind:{kind}")
        except Exception:
            log.exception("reminder for badge %s failed; retrying next sweep", view.uid)
            await _mark(database, reminder_id, None)
            handled -= 1
    return handled


async def _mark(database: Database, reminder_id: int, when: datetime | None) -> bool:
    """Claim a reminder (set sent_at while unset), or give it back (`when` None)."""
    async with database.transaction() as session:
        return await q.mark_reminder(session, reminder_id=reminder_id, sent_at=when)
