"""What the sweep posts for a challenge: the announcement, start, progress, reminder, results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.messengers import Messengers
from bot.core.ports import Messenger
from bot.core.views import Message
from bot.engagement import challenge_views as views
from bot.engagement.challenge_plan import facts_of
from bot.engagement.privacy import visibility
from bot.engagement.scoring import standings
from storage.db import Database
from storage.models import Challenge, ChallengeStatus
from storage.queries import engagement as q
from storage.queries.engagement import DueRow


async def named_lines(
    session: AsyncSession, catalog: Catalog, challenge: Challenge, now: datetime
) -> list[views.Line]:
    """Standings with each member shown as they chose (anyone not named is "a colleague")."""
    table = await standings(session, catalog, challenge, now)
    seen = await visibility(session, workspace_id=challenge.workspace_id)
    names = await q.holders(session, person_ids=[s.person_id for s in table])
    return [
        views.Line(s.rank, seen.shown(names.get(s.person_id, q.Holder("", None))), s.score)
        for s in table
    ]


class ChallengePosts:
    """Runs one due challenge row: state change in a transaction, posting outside it."""

    def __init__(self, database: Database, catalog: Catalog, messengers: Messengers) -> None:
        self.database, self.catalog, self.messengers = database, catalog, messengers

    def _messenger(self, address: str) -> Messenger:
        messenger = self.messengers.for_address(address)
        if messenger is None:
            raise Unreachable(f"{address}: no messenger for this platform is running")
        return messenger

    async def run(self, row: DueRow, now: datetime) -> str | None:
        assert row.challenge_id is not None
        async with self.database.transaction() as session:
            challenge = await q.challenge(session, challenge_id=row.challenge_id)
            if challenge is None:
                return None
            post = await self._prepare(session, challenge, row.kind, now)
            facts = await facts_of(session, self.catalog, challenge)
            parent, channel = challenge.announce_ref, challenge.channel
        if row.kind == "announce":
            if facts.status == ChallengeStatus.CANCELLED:
                return None
            posted = await self._messenger(channel).post_channel(
                channel, views.announcement(facts, now), key=row.key
            )
            async with self.database.transaction() as session:
                found = await q.challenge(session, challenge_id=row.challenge_id)
                if found is not None:
                    found.announce_ref = posted
            return posted
        ref: str | None = None
        if post is not None:
            ref = await self._messenger(channel).post_channel(channel, post, key=row.key)
        if parent:
            shown = views.cancelled(facts) if facts.status == ChallengeStatus.CANCELLED else None
            await self._messenger(parent).update(parent, shown or views.announcement(facts, now))
        return ref

    async def _prepare(
        self, session: AsyncSession, challenge: Challenge, kind: str, now: datetime
    ) -> Message | None:
        """Move the challenge along for `kind`; the new post to make, if any."""
        if kind == "start":
            if await q.set_status(
                session,
                challenge_id=challenge.id,
                before=(ChallengeStatus.SCHEDULED,),
                after=ChallengeStatus.RUNNING,
            ):
                challenge.status = ChallengeStatus.RUNNING
            return None
        if kind in ("progress", "reminder"):
            if challenge.status != ChallengeStatus.RUNNING:
                return None
            facts = await facts_of(session, self.catalog, challenge)
            lines = await named_lines(session, self.catalog, challenge, now)
            return views.progress(facts, lines, now, reminder=kind == "reminder")
        if kind == "end":
            ending = (ChallengeStatus.SCHEDULED, ChallengeStatus.RUNNING)
            if (
                not await q.set_status(
                    session, challenge_id=challenge.id, before=ending, after=ChallengeStatus.ENDED
                )
                and challenge.status != ChallengeStatus.ENDED
            ):
                return None
            challenge.status, challenge.ended_at = ChallengeStatus.ENDED, challenge.ended_at or now
            facts = await facts_of(session, self.catalog, challenge)
            lines = await named_lines(session, self.catalog, challenge, now)
            return views.results(facts, lines)
        return None  # refresh and cancel only edit the parent
