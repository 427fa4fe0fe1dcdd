"""Peer review as one service: hooks into the journey, chat commands, buttons and the sweep."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.clock import SYSTEM_CLOCK
from bot.core.events import ActionInput
from bot.core.messengers import Messengers
from bot.core.ports import Clock
from bot.core.tasks import Tasks
from bot.core.views import Reply
from bot.delivery.inbox import InboxMessenger
from bot.learning.hooks import AttemptRecorded, Hooks, ProgramCompleted, StepFinished
from bot.learning.turn import Turn
from bot.review import allocation, learner_chat, repair, reviewer_chat, submissions, thread
from bot.review.actions import CALIBRATE, DECIDE, SUBMIT, CalibrationArgs, DecisionArgs, SubmitArgs
from bot.review.env import Env, ReviewCredit
from bot.review.posts import Outbox
from bot.review.repair import SweepResult
from bot.review.views import note
from storage.db import Database
from storage.models import (
    UNDER_REVIEW,
    Attempt,
    AttemptStatus,
    PeerPost,
    PeerSubmission,
    StepStatus,
    SubmissionStatus,
)
from storage.queries import review as q


class PeerReview:
    """Portfolio submissions reviewed by peers in a thread, with allocation that repairs itself."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        messengers: Messengers | None = None,
        clock: Clock | None = None,
        credit: ReviewCredit | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        self.database = database
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.messengers = messengers if messengers is not None else Messengers()
        local = InboxMessenger(database, self.clock)
        self.outbox = Outbox(database, self.messengers, self.clock, local, tasks or Tasks())
        self.env = Env(catalog, Hooks(), self.clock, self.outbox, credit)
        self.outbox.draw = lambda session, post: thread.draw(session, self.env, post)
        self.outbox.lost = self._lost

    def use_clock(self, clock: Clock) -> None:
        """Drive reminders, reassignment and escalation with another clock (tests)."""
        self.clock = self.env.clock = self.outbox.clock = clock

    def register(self, hooks: Hooks) -> None:
        """Subscribe to the journey and add `review`, `portfolio` and the forms' actions."""
        self.env.hooks = hooks
        hooks.on(AttemptRecorded, self.on_attempt)
        hooks.on(StepFinished, self.on_step)
        hooks.on(ProgramCompleted, self.on_completed)
        hooks.command("review", self._review)
        hooks.command("portfolio", self._portfolio)
        hooks.action(DECIDE, self._decide)
        hooks.action(CALIBRATE, self._calibrate)
        hooks.action(SUBMIT, self._submit)

    # -- journey events ---------------------------------------------------------------

    async def on_attempt(self, event: AttemptRecorded) -> Reply | None:
        return await submissions.start(self.env, event)

    async def on_step(self, event: StepFinished) -> Reply | None:
        """A portfolio scored outside peer review (an admin's override) settles its thread."""
        if not event.step_key.startswith("quiz:") or event.status == StepStatus.PENDING:
            return None
        quiz_id = event.step_key.split(":", 1)[1]
        for sub in await q.submissions_of(event.session, author_id=event.person.id):
            if (
                sub.enrollment_id == event.enrollment.id
                and sub.quiz_id == quiz_id
                and sub.status in UNDER_REVIEW
            ):
                await self._settle(event.session, sub)
        return None

    async def on_completed(self, event: ProgramCompleted) -> Reply | None:
        """A new badge holder may review the program's waiting portfolios: ask them now."""
        repair.fill_after_commit(
            event.session,
            self.env,
            workspace_id=event.person.workspace_id,
            program_id=event.program.id,
        )
        return None

    async def _settle(self, session: AsyncSession, sub: PeerSubmission) -> None:
        attempt = await session.get(Attempt, sub.attempt_id) if sub.attempt_id else None
        if attempt is None or attempt.status != AttemptStatus.SCORED:
            return
        sub.status, sub.decided_at = SubmissionStatus.SETTLED, self.clock.now()
        text = "ℹ️ An admin scored this portfolio directly; no more reviews are needed."
        await thread.tell(session, self.env, sub, note(text), "settled")

    # -- chat -------------------------------------------------------------------------

    async def _review(self, turn: Turn, arg: str) -> Reply:
        return await reviewer_chat.command(turn, self.env, arg)

    async def _portfolio(self, turn: Turn, arg: str) -> Reply:
        return await learner_chat.command(turn, self.env, arg)

    async def _decide(self, turn: Turn, args: DecisionArgs, action_input: ActionInput) -> Reply:
        return await reviewer_chat.decide_action(turn, self.env, args, action_input)

    async def _calibrate(
        self, turn: Turn, args: CalibrationArgs, action_input: ActionInput
    ) -> Reply:
        return await reviewer_chat.calibrate_action(turn, self.env, args, action_input)

    async def _submit(self, turn: Turn, args: SubmitArgs, action_input: ActionInput) -> Reply:
        return await learner_chat.submit_action(turn, self.env, args, action_input)

    # -- the scheduler and the outbox ---------------------------------------------------

    async def sweep(self) -> SweepResult:
        """Remind, reassign, escalate and replace what is due; then send queued posts."""
        return await repair.sweep(self.database, self.env)

    async def deliver(self) -> int:
        return await self.outbox.deliver()

    async def drain(self) -> None:
        await self.outbox.drain()

    async def _lost(self, session: AsyncSession, post: PeerPost, error: str) -> None:
        await allocation.lost(session, self.env, post, error)
