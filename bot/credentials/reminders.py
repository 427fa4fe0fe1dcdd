"""Re-certification reminders: due rows swept by the scheduler and sent as DMs."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update

from bot.credentials import messages
from bot.credentials.announce import Announcer
from bot.credentials.view import AwardView
from storage.models import BadgeReminder
from storage.queries import badges as q
from storage.queries.org import identities_of

log = logging.getLogger(__name__)


async def send_due_reminders(announcer: Announcer, *, now: datetime | None = None) -> int:
    """DM every due re-certification reminder once; returns how many were handled.

    Only workspaces whose platform has a messenger are swept; a reminder whose learner is
    unreachable for good is marked handled too, so it never retries forever. Call it from
    the scheduler (every few minutes is plenty).
    """
    now = now or announcer.ctx.now()
    database = announcer.database
    async with database.transaction() as session:
        due = await q.due_reminders(session, now=now, platforms=announcer.messengers.platforms)
        work = []
        for reminder, award in due:
            identities = await identities_of(session, person_id=award.person_id or 0)
            identity = next((i for i in identities if i.startswith(f"{award.workspace_id}:")), None)
            holder = await q.holder_name(session, award=award)
            work.append((reminder.id, identity, AwardView.of(award, holder), reminder.kind))
    handled = 0
    for reminder_id, identity, view, kind in work:
        if view.status(now) != "valid":
            sent = True
        elif identity is None:
            log.warning("no %s identity to remind about badge %s", view.program_id, view.uid)
            sent = True
        else:
            try:
                message = messages.reminder(view, now)
                await announcer.direct(identity, message, f"badge:{view.uid}:remind:{kind}")
                sent = True
            except Exception:
                log.exception("reminder for badge %s failed; retrying next sweep", view.uid)
                sent = False
        if sent:
            async with database.transaction() as session:
                await session.execute(
                    update(BadgeReminder).where(BadgeReminder.id == reminder_id).values(sent_at=now)
                )
            handled += 1
    return handled
