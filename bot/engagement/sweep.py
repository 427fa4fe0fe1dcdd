"""The engagement sweep: plans recurring rows, then runs every due post once, retrying faults."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.messengers import Messengers
from bot.engagement.challenge_posts import ChallengePosts
from bot.engagement.digests import Digests, plan_recurring
from storage.db import Database
from storage.models import EngagementDueStatus
from storage.queries import engagement as q
from storage.queries.engagement import DueRow

log = logging.getLogger(__name__)
CHALLENGE_KINDS = ("announce", "start", "progress", "reminder", "end", "refresh", "cancel")


@dataclass
class SweepResult:
    done: int = 0
    failed: int = 0
    retried: int = 0


@dataclass(frozen=True)
class SweepOptions:
    batch: int = 50
    stale: timedelta = timedelta(minutes=10)
    """A claimed row untouched this long is taken over (its sweeper died mid-post)."""
    max_tries: int = 5
    retry_after: timedelta = timedelta(minutes=2)
    digest_weekday: int = 0
    digest_at: time = time(9, 0)
    """Digests go out on Mondays at 09:00 UTC, covering the week that just ended."""


class Sweeper:
    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        messengers: Messengers,
        options: SweepOptions | None = None,
    ) -> None:
        self.database = database
        self.options = options or SweepOptions()
        self.challenges = ChallengePosts(database, catalog, messengers)
        self.digests = Digests(database, catalog, messengers)

    async def sweep(self, now: datetime) -> SweepResult:
        """Everything due by `now`; safe to run from several processes at once."""
        opts, result = self.options, SweepResult()
        async with self.database.transaction() as session:
            await plan_recurring(session, now=now, weekday=opts.digest_weekday, at=opts.digest_at)
        async with self.database.transaction() as session:
            rows = await q.due_now(session, now=now, stale=opts.stale, limit=opts.batch)
        for row in rows:
            async with self.database.transaction() as session:
                if not await q.claim(session, due_id=row.id, now=now, stale=opts.stale):
                    continue
            await self._run(row, now, result)
        return result

    async def _run(self, row: DueRow, now: datetime, result: SweepResult) -> None:
        try:
            ref = await self._dispatch(row, now)
        except Unreachable as exc:
            log.warning("engagement post %s cannot be delivered: %s", row.key, exc)
            await self._finish(row, now, EngagementDueStatus.FAILED, None, str(exc))
            result.failed += 1
        except Exception as exc:  # a fault: retried a few times, then given up and logged
            log.exception("engagement post %s failed (try %d)", row.key, row.tries + 1)
            if row.tries + 1 >= self.options.max_tries:
                await self._finish(row, now, EngagementDueStatus.FAILED, None, repr(exc))
                result.failed += 1
            else:
                later = now + self.options.retry_after * (row.tries + 1)
                async with self.database.transaction() as session:
                    await q.retry_later(session, due_id=row.id, at=later, error=repr(exc))
                result.retried += 1
        else:
            await self._finish(row, now, EngagementDueStatus.DONE, ref, "")
            result.done += 1

    async def _finish(
        self, row: DueRow, now: datetime, status: EngagementDueStatus, ref: str | None, error: str
    ) -> None:
        async with self.database.transaction() as session:
            await q.finish(session, due_id=row.id, now=now, status=status, ref=ref, error=error)

    async def _dispatch(self, row: DueRow, now: datetime) -> str | None:
        if row.kind in CHALLENGE_KINDS:
            return await self.challenges.run(row, now)
        if row.kind == "digest":
            return await self.digests.run(row, now)
        if row.kind == "prune":
            removed = await self.digests.prune(now)
            log.info("pruned %d old leaderboard totals", removed)
            return None
        raise ValueError(f"unknown engagement row kind {row.kind!r}")
