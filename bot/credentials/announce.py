"""Announcing badges in the bound channel and DMing earners, after the award has committed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import Unreachable
from bot.core.messengers import Messengers
from bot.core.tasks import Tasks, Work
from bot.core.views import Message
from bot.credentials import messages
from bot.credentials.context import Issuing
from bot.credentials.view import AwardView
from storage.db import Database, SessionHooks
from storage.models import BadgeAward, BadgePreference
from storage.queries import badges as q
from storage.queries.org import binding_for

log = logging.getLogger(__name__)
Decision = Literal["post", "ask", "never"]
SWEEP_AFTER = timedelta(minutes=1)


async def decide(session: AsyncSession, award: BadgeAward) -> Decision:
    """The learner's standing choice wins; otherwise the workspace's recognition policy."""
    pref = await session.get(BadgePreference, award.person_id) if award.person_id else None
    if pref is not None and pref.announce == "never":
        return "never"
    if pref is not None and pref.announce == "always":
        return "post"
    policy = await q.recognition_policy(session, workspace_id=award.workspace_id)
    return "post" if policy == "announce" else "ask"


async def channel_for(session: AsyncSession, award: BadgeAward) -> str | None:
    return await binding_for(
        session,
        workspace_id=award.workspace_id,
        purpose="announcements",
        program_id=award.program_id,
    )


class Announcer:
    """Posts celebrations and DMs through the platform's Messenger, never inside a transaction."""

    def __init__(
        self, database: Database, ctx: Issuing, messengers: Messengers, tasks: Tasks
    ) -> None:
        self.database, self.ctx, self.messengers, self.tasks = database, ctx, messengers, tasks

    def after_commit(self, session: AsyncSession, work: Work) -> None:
        """Run `work` once the session's transaction has committed (never if it rolls back)."""
        self.tasks.after_commit(SessionHooks(session), work, what="badge announcement")

    async def drain(self) -> None:
        """Wait for announcements in flight (tests, shutdown)."""
        await self.tasks.drain()

    async def _view(self, uid: str) -> tuple[BadgeAward, AwardView] | None:
        async with self.database.transaction() as session:
            award = await q.award_by_uid(session, uid=uid)
            if award is None:
                return None
            return award, AwardView.of(award, await q.holder_name(session, award=award))

    async def post(self, uid: str) -> None:
        """Post a queued award in its bound channel (once; the key absorbs retries)."""
        found = await self._view(uid)
        if (
            found is None
            or found[0].announce_state != "queued"
            or found[1].status(self.ctx.now()) != "valid"
        ):
            return
        award, view = found
        async with self.database.transaction() as session:
            channel = await channel_for(session, award)
        messenger = self.messengers.for_address(channel) if channel else None
        if channel is None or messenger is None:
            return
        if not await self._move(award.id, "queued", "posting"):
            return  # another process is posting it
        post = messages.channel_post(view, self.ctx.urls, self.ctx.issuer.name)
        try:
            ref = await messenger.post_channel(channel, post, key=f"badge:{uid}:post")
            state: str = "posted"
        except Unreachable as exc:
            log.warning("badge %s not announced: %s", uid, exc)
            ref, state = None, "failed"
        except Exception:
            await self._move(award.id, "posting", "queued")
            raise
        await self._move(award.id, "posting", state, ref)

    async def _move(self, award_id: int, before: str, after: str, ref: str | None = None) -> bool:
        async with self.database.transaction() as session:
            return await q.set_announce_state(
                session, award_id=award_id, state=after, ref=ref, when=before
            )

    async def retract(self, uid: str) -> None:
        """Replace a posted celebration of a revoked award by a neutral note."""
        found = await self._view(uid)
        if found is None or found[0].announce_state != "posted" or not found[0].announce_ref:
            return
        messenger = self.messengers.for_address(found[0].announce_ref)
        if messenger is not None:
            await messenger.update(found[0].announce_ref, messages.withdrawn_post())

    async def direct(self, identity: str, message: Message, key: str) -> bool:
        """DM a person when their platform has a messenger; False when it cannot."""
        messenger = self.messengers.for_address(identity)
        if messenger is None:
            return False
        try:
            await messenger.send_direct(identity, message, key=key)
        except Unreachable as exc:
            log.warning("could not DM %s: %s", identity, exc)
            return False
        return True

    async def sweep(self) -> int:
        """Post announcements queued for over a minute (a crash or outage in between)."""
        async with self.database.transaction() as session:
            queued = await q.queued_announcements(session, before=self.ctx.now() - SWEEP_AFTER)
            uids = [a.uid for a in queued]
        for uid in uids:
            try:
                await self.post(uid)
            except Exception:  # one failure does not hold up the others
                log.exception("badge announcement %s failed; the next sweep retries it", uid)
        return len(uids)
