"""What earns points: the journey's events, streak slots, reviews (peer review) and badges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.content.schema import RUBRIC_TYPES
from bot.core.ports import Clock
from bot.core.views import Reply
from bot.delivery.facts import to_facts
from bot.engagement import streaks
from bot.engagement.levels import level_up_message
from bot.engagement.periods import ALL, ORG
from bot.engagement.points import Award, Learner, award_all
from bot.engagement.rules import PointsRules, scaled
from bot.learning.hooks import AttemptRecorded, PauseChanged, ProgramCompleted, StepFinished
from bot.learning.window import DEFAULT_WINDOW
from storage.models import (
    Attempt,
    AttemptStatus,
    Enrollment,
    Person,
    StepStatus,
    Streak,
)
from storage.queries.engagement import locked_streak, total_of
from storage.queries.engagement.streaks import save_streak
from storage.queries.enrollment_facts import facts_row, facts_with_streak
from storage.queries.progress import outcome_score


def learner_of(person: Person) -> Learner:
    return Learner(person.id, person.workspace_id, person.timezone or "")


class Earning:
    """Turns learning events into awards; subscribers run in the learner's transaction."""

    def __init__(self, rules: PointsRules, catalog: Catalog, clock: Clock) -> None:
        self.rules, self.catalog, self.clock = rules, catalog, clock

    # -- the journey's events -------------------------------------------------------

    async def on_attempt(self, event: AttemptRecorded) -> Reply | None:
        now = self.clock.now()
        awards = self.attempt_awards(event.attempt, event.question.type)
        awards += await self._streak(event.session, event.person, event.enrollment, now)
        return await self._file(event.session, event.person, awards, now)

    async def on_step(self, event: StepFinished) -> Reply | None:
        now = self.clock.now()
        enrollment, key = event.enrollment, event.step_key
        awards: list[Award] = []
        program_id, ref = enrollment.program_id, f"{enrollment.id}:{key}"
        if event.status == StepStatus.DONE:
            awards.append(Award("lesson", f"lesson:{ref}", self.rules.lesson, program_id, key))
            awards += await self._streak(event.session, event.person, enrollment, now)
        elif event.status == StepStatus.PASSED:
            fraction = await _quiz_fraction(event.session, enrollment.id, key)
            points = scaled(self.rules.quiz, fraction)
            awards.append(Award("quiz", f"quiz:{ref}", points, program_id, key, fraction))
        return await self._file(event.session, event.person, awards, now)

    async def on_completed(self, event: ProgramCompleted) -> Reply | None:
        key = f"badge:{event.enrollment.id}"
        awards = [Award("badge", key, self.rules.badge, event.enrollment.program_id)]
        return await self._file(event.session, event.person, awards, self.clock.now())

    async def on_pause(self, event: PauseChanged) -> Reply | None:
        state, row = await self._streak_state(event.session, event.person, event.enrollment)
        now = self.clock.now()
        if event.paused:
            schedule = await self._schedule(event.session, event.enrollment.id)
            streaks.pause(state, schedule, now)
        else:
            streaks.resume(state, now)
        _store(row, state, now)
        return None

    # -- for other features ---------------------------------------------------------

    def attempt_awards(self, attempt: Attempt, question_type: str) -> list[Award]:
        """Points for a scored answer: a correct first try, and a rubric score once final."""
        if attempt.status != AttemptStatus.SCORED or attempt.points is None:
            return []
        fraction = attempt.points / attempt.max_points if attempt.max_points else 0.0
        ref = f"{attempt.enrollment_id}:{attempt.quiz_id}:{attempt.question_id}"
        program_id, item = attempt.program_id, f"{attempt.quiz_id}/{attempt.question_id}"
        awards: list[Award] = []
        first = attempt.try_no == 1 and attempt.quiz_run == 0
        if question_type in RUBRIC_TYPES:
            if attempt.retry_after is None:
                points = scaled(self.rules.rubric, fraction)
                awards.append(Award("rubric", f"rubric:{ref}", points, program_id, item, fraction))
        elif first and fraction > 0:
            points = self.rules.first_try if attempt.correct else 0
            key = f"first:{ref}"
            awards.append(Award("first_try", key, points, program_id, item, fraction))
        return awards

    async def award_scored_attempt(self, session: AsyncSession, *, attempt: Attempt) -> Reply:
        """For an answer scored later (after human review): its points, once."""
        enrollment = await session.get(Enrollment, attempt.enrollment_id)
        program = self.catalog.get(attempt.program_id)
        question = program.question(attempt.quiz_id, attempt.question_id) if program else None
        if enrollment is None or question is None:
            return Reply()
        person = await session.get(Person, enrollment.person_id)
        assert person is not None
        awards = self.attempt_awards(attempt, question.type)
        return await self._file(session, person, awards, self.clock.now()) or Reply()

    async def award_review_points(
        self,
        session: AsyncSession,
        *,
        reviewer: Person,
        review_ref: str,
        program_id: str = "",
    ) -> Reply:
        """A peer review given (issue 7 calls this): `review_ref` names it, so it counts once."""
        awards = [Award("review", f"review:{review_ref}", self.rules.review, program_id, "review")]
        return await self._file(session, reviewer, awards, self.clock.now()) or Reply()

    # -- streaks --------------------------------------------------------------------

    async def _schedule(self, session: AsyncSession, enrollment_id: int) -> streaks.Schedule:
        row = await facts_row(session, enrollment_id=enrollment_id)
        return to_facts(row).rule(self.catalog, DEFAULT_WINDOW)

    async def _streak_state(
        self, session: AsyncSession, person: Person, enrollment: Enrollment
    ) -> tuple[streaks.StreakState, Streak]:
        row = await locked_streak(session, enrollment_id=enrollment.id, person_id=person.id)
        state = streaks.StreakState(
            row.current or 0, row.best or 0, row.last_slot_at, row.excused_from, row.excused_until
        )
        return state, row

    async def _streak(
        self, session: AsyncSession, person: Person, enrollment: Enrollment, now: datetime
    ) -> list[Award]:
        """Count today's activity: one read (the schedule and the streak), one upsert."""
        facts, found = await facts_with_streak(session, enrollment_id=enrollment.id)
        state = streaks.StreakState()
        if found is not None:
            current, best, *dates = found
            state = streaks.StreakState(current or 0, best or 0, *dates)
        schedule = to_facts(facts).rule(self.catalog, DEFAULT_WINDOW)
        counted = streaks.record_activity(state, schedule, now)
        kept = (state.current, state.best, state.last_slot, state.excused_from, state.excused_until)
        await save_streak(
            session, enrollment_id=enrollment.id, person_id=person.id, state=kept, at=now
        )
        if counted.slot is None:
            return []
        key = f"streak:{enrollment.id}:{counted.slot.isoformat()}"
        return [Award("streak", key, self.rules.streak, enrollment.program_id, "streak")]

    async def _file(
        self, session: AsyncSession, person: Person, awards: list[Award], at: datetime
    ) -> Reply | None:
        level = await award_all(session, learner=learner_of(person), awards=awards, at=at)
        if level is None:
            return None
        points = await total_of(
            session, workspace_id=person.workspace_id, person_id=person.id, board=ORG, period=ALL
        )
        return Reply((level_up_message(level, points),))


def _store(row: Streak, state: streaks.StreakState, now: datetime) -> None:
    row.current, row.best, row.last_slot_at = state.current, state.best, state.last_slot
    row.excused_from, row.excused_until, row.updated_at = (
        state.excused_from,
        state.excused_until,
        now,
    )


async def _quiz_fraction(session: AsyncSession, enrollment_id: int, step_key: str) -> float:
    row = await outcome_score(session, enrollment_id=enrollment_id, step_key=step_key)
    if row is None or not row[1]:
        return 1.0
    return max(0.0, min(1.0, float(row[0] or 0) / float(row[1])))
