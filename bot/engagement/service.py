"""Engagement as one service: hooks into the journey, chat commands, actions and the sweep."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.clock import SYSTEM_CLOCK
from bot.core.messengers import Messengers
from bot.core.ports import Clock
from bot.core.tasks import Tasks
from bot.core.views import Reply
from bot.engagement import actions
from bot.engagement.board_views import points_message
from bot.engagement.challenges import Challenges
from bot.engagement.earning import Earning
from bot.engagement.leaderboard import Leaderboards
from bot.engagement.levels import level_for
from bot.engagement.periods import ALL, ORG
from bot.engagement.rules import PointsRules
from bot.engagement.sweep import Sweeper, SweepOptions, SweepResult
from bot.learning.hooks import AttemptRecorded, Hooks, PauseChanged, ProgramCompleted, StepFinished
from bot.learning.turn import Turn
from storage.db import Database, SessionHooks
from storage.models import Attempt, Person
from storage.queries import engagement as q

log = logging.getLogger(__name__)


class Engagement:
    """Points, streaks, levels, leaderboards and challenges, wired into one process."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        messengers: Messengers | None = None,
        rules: PointsRules | None = None,
        clock: Clock | None = None,
        options: SweepOptions | None = None,
        kick: bool = True,
        tasks: Tasks | None = None,
    ) -> None:
        self.database, self.catalog = database, catalog
        self.messengers = messengers if messengers is not None else Messengers()
        self.rules = rules or PointsRules()
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.earning = Earning(self.rules, catalog, self.clock)
        self.leaderboards = Leaderboards(catalog, self.clock)
        self.challenges = Challenges(catalog, self.rules, self.clock, self._kick)
        self.sweeper = Sweeper(database, catalog, self.messengers, options)
        self.kicks = kick
        self.tasks = tasks or Tasks()

    def register(self, hooks: Hooks) -> None:
        """Subscribe to the journey's events and add the chat commands and buttons."""
        hooks.on(AttemptRecorded, self.earning.on_attempt)
        hooks.on(StepFinished, self.earning.on_step)
        hooks.on(ProgramCompleted, self.earning.on_completed)
        hooks.on(PauseChanged, self.earning.on_pause)
        hooks.command("leaderboard", self.leaderboards.command)
        hooks.command("points", self.points)
        hooks.command("challenge", self.challenges.command)
        hooks.action(actions.BOARD_RANK, self.leaderboards.where_am_i)
        hooks.action(actions.PREVIEW, self.challenges.preview)
        hooks.action(actions.POST, self.challenges.post)
        hooks.action(actions.EDIT, self.challenges.edit)
        hooks.action(actions.JOIN, self.challenges.join)
        hooks.action(actions.RANK, self.challenges.my_score)

    # -- for the scheduler and other features --------------------------------------

    async def sweep(self, now: datetime | None = None) -> SweepResult:
        """Post what is due: challenge starts, progress, reminders, results; weekly digests."""
        return await self.sweeper.sweep(now or self.clock.now())

    async def award_review_points(
        self, session: AsyncSession, *, reviewer: Person, review_ref: str, program_id: str = ""
    ) -> Reply:
        """Peer review calls this when a review is done; the reply may hold a level-up."""
        return await self.earning.award_review_points(
            session, reviewer=reviewer, review_ref=review_ref, program_id=program_id
        )

    async def award_scored_attempt(self, session: AsyncSession, *, attempt: Attempt) -> Reply:
        """For an answer whose score arrived later (a human review): its points, once."""
        return await self.earning.award_scored_attempt(session, attempt=attempt)

    # -- chat --------------------------------------------------------------------------

    async def points(self, turn: Turn, arg: str) -> Reply:
        person = turn.person
        total = await q.total_of(
            turn.session,
            workspace_id=person.workspace_id,
            person_id=person.id,
            board=ORG,
            period=ALL,
        )
        row = await q.top_streak(turn.session, person_id=person.id)
        streak = None
        if row is not None:
            current, best, program_id = row
            program = self.catalog.get(program_id)
            streak = (current, best, program.title if program else program_id)
        return Reply((points_message(total, level_for(total), streak, self.rules),))

    # -- posting soon after a commit ------------------------------------------------------

    def _kick(self, turn: Turn) -> None:
        """Sweep right after this transaction commits, so a post does not wait for the tick."""
        if not self.kicks:
            return

        self.tasks.after_commit(
            SessionHooks(turn.session), self.sweep, what="engagement sweep", once="engagement"
        )

    async def drain(self) -> None:
        """Wait for sweeps started after commits (tests, shutdown)."""
        await self.tasks.drain()


async def sweep_engagement(engagement: Engagement, now: datetime | None = None) -> SweepResult:
    """The periodic tick's entry point: everything due by `now`."""
    return await engagement.sweep(now)
