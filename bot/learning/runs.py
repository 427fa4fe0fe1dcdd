"""The runs of a quiz: drawn and seeded once, recorded, shown the same way everywhere, and
allowed by the quiz's retakes plus the runs an admin granted."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.draw import draw_questions, run_view
from bot.content import Program
from bot.content.schema import Quiz
from bot.core.copy import t, tn
from bot.core.errors import BadRequest
from bot.learning.audit import audit, current_actor
from bot.learning.progress import outcomes_of
from storage.models import AuditAction, Enrollment, Person, QuizRun, StepStatus
from storage.queries.progress import has_outcome
from storage.queries.runs import (
    add_retake_grant,
    enrollment_in,
    granted_runs,
    quiz_run,
    quiz_runs,
    quiz_runs_in,
    retake_grants_in,
    run_added,
    runs_changed,
)

MAX_GRANTED_RUNS = 5
"""Runs an admin may grant at once."""
MAX_REASON = 500


@dataclass(frozen=True)
class AskedQuiz:
    """A quiz as the current run asks it, with the run's record."""

    quiz: Quiz
    run: QuizRun


async def latest_run(session: AsyncSession, enrollment_id: int, quiz_id: str) -> QuizRun | None:
    """The newest recorded run of a quiz."""
    runs = await quiz_runs(session, enrollment_id=enrollment_id, quiz_id=quiz_id)
    return runs[-1] if runs else None


async def _retaking(session: AsyncSession, enrollment_id: int, quiz_id: str) -> bool:
    """Whether the quiz already has an outcome (a retake), not a fresh start or a renewal."""
    return await has_outcome(session, enrollment_id=enrollment_id, step_key=f"quiz:{quiz_id}")


async def current_run(session: AsyncSession, enrollment: Enrollment, quiz: Quiz) -> QuizRun:
    """The record of the enrollment's current run of `quiz`, drawn and seeded on first use."""
    runs = await quiz_runs(session, enrollment_id=enrollment.id, quiz_id=quiz.id)
    for row in runs:
        if row.run == enrollment.quiz_run:
            return row
    seed = secrets.randbits(62)
    earlier = [list(r.questions or []) for r in runs]
    number = runs[-1].number + 1 if runs and await _retaking(session, enrollment.id, quiz.id) else 1
    row = QuizRun(
        enrollment_id=enrollment.id,
        quiz_id=quiz.id,
        run=enrollment.quiz_run,
        number=number,
        seed=seed,
        questions=draw_questions(quiz, seed, earlier),
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # drawn meanwhile by a concurrent event: that draw stands
        runs_changed(session, enrollment_id=enrollment.id, quiz_id=quiz.id)
        found = await quiz_run(
            session, enrollment_id=enrollment.id, quiz_id=quiz.id, run=enrollment.quiz_run
        )
        assert found is not None
        return found
    run_added(session, row)
    return row


async def asked(
    session: AsyncSession, program: Program, enrollment: Enrollment, quiz_id: str
) -> AskedQuiz | None:
    """The quiz as the enrollment's current run asks it (None if the program lacks it)."""
    quiz = program.quizzes.get(quiz_id)
    if quiz is None:
        return None
    row = await current_run(session, enrollment, quiz)
    return AskedQuiz(run_view(quiz, row.seed, row.questions or []), row)


async def asked_in(
    session: AsyncSession, program: Program, enrollment_id: int, quiz_id: str, run: int
) -> Quiz | None:
    """The quiz as an earlier (or the current) run asked it, if that run was recorded."""
    quiz = program.quizzes.get(quiz_id)
    if quiz is None:
        return None
    row = await quiz_run(session, enrollment_id=enrollment_id, quiz_id=quiz_id, run=run)
    return run_view(quiz, row.seed, row.questions or []) if row is not None else quiz


@dataclass(frozen=True)
class RunAllowance:
    """How many runs of a quiz an enrollment has taken and may take in all."""

    used: int
    """Runs taken since the quiz was last started afresh (the latest run's number; 0: none)."""
    own: int | None
    """Runs the quiz itself allows (1 + its retakes); None: no limit."""
    granted: int = 0
    """Runs an admin granted on top, since the quiz was last started afresh."""

    @property
    def allowed(self) -> int | None:
        return None if self.own is None else self.own + self.granted

    @property
    def left(self) -> int | None:
        """Runs still open; None: no limit."""
        return None if self.allowed is None else max(0, self.allowed - self.used)

    @property
    def next_is_granted(self) -> bool:
        """Whether the next run is one an admin granted (it opens without the cool-down)."""
        return self.own is not None and self.used >= self.own and bool(self.left)


def _series_start(runs: list[QuizRun]) -> datetime | None:
    """When the current series of runs began: grants made before it were for an earlier one."""
    firsts = [r.started_at for r in runs if r.number == 1]
    return firsts[-1] if firsts else None


def _allowance(quiz: Quiz, runs: list[QuizRun], granted: int) -> RunAllowance:
    used = runs[-1].number if runs else 0
    own = None if quiz.retakes is None else quiz.retakes + 1
    return RunAllowance(used, own, granted)


async def run_allowance(session: AsyncSession, quiz: Quiz, enrollment_id: int) -> RunAllowance:
    """The enrollment's runs of `quiz`: taken, allowed by the quiz, and granted by an admin."""
    runs = await quiz_runs(session, enrollment_id=enrollment_id, quiz_id=quiz.id)
    granted = await granted_runs(
        session, enrollment_id=enrollment_id, quiz_id=quiz.id, since=_series_start(runs)
    )
    return _allowance(quiz, runs, granted)


async def retake_refusal(
    session: AsyncSession, quiz: Quiz, enrollment_id: int, now: datetime
) -> str:
    """Why the quiz cannot be retaken now ("" when it can): no run left, or a cool-down.

    Runs an admin granted count, and a granted run opens without the cool-down.
    """
    latest = await latest_run(session, enrollment_id, quiz.id)
    if latest is None:
        return ""
    allowance = await run_allowance(session, quiz, enrollment_id)
    if allowance.left == 0:
        return t("runs.all_used", quiz=quiz.title, used=latest.number)
    if allowance.next_is_granted:
        return ""
    ended = latest.ended_at or latest.started_at
    opens = ended + timedelta(seconds=quiz.retake_cooldown_seconds)
    if opens > now:
        return _retake_opens(quiz.title, opens, now)
    return ""


def _retake_opens(title: str, opens: datetime, now: datetime) -> str:
    """When the cool-down ends, in the words `bot.assessment.policy.when` uses."""
    seconds = max(0, int((opens - now).total_seconds()))
    if seconds < 90:
        return tn("runs.retake_in_seconds", max(seconds, 1), quiz=title)
    if seconds < 90 * 60:
        return tn("runs.retake_in_minutes", round(seconds / 60), quiz=title)
    at = f"{opens:%Y-%m-%d %H:%M}"
    return tn("runs.retake_in_hours", round(seconds / 3600), quiz=title, at=at)


async def closed_quizzes(
    session: AsyncSession, program: Program, enrollment_id: int, quiz_ids: list[str]
) -> frozenset[str]:
    """Of `quiz_ids`, those with no run left (granted runs included); two queries in all."""
    quizzes = {i: q for i in quiz_ids if (q := program.quizzes.get(i)) is not None}
    if not quizzes:
        return frozenset()
    runs = await quiz_runs_in(session, enrollment_id=enrollment_id, quiz_ids=list(quizzes))
    grants = await retake_grants_in(session, enrollment_id=enrollment_id, quiz_ids=list(quizzes))
    closed = set()
    for quiz_id, quiz in quizzes.items():
        since = _series_start(runs[quiz_id])
        granted = sum(n for at, n in grants[quiz_id] if since is None or at >= since)
        allowance = _allowance(quiz, runs[quiz_id], granted)
        if allowance.used and allowance.left == 0:
            closed.add(quiz_id)
    return frozenset(closed)


@dataclass(frozen=True)
class RetakeGranted:
    """What a grant changed: the runs allowed before and after."""

    program_id: str
    quiz_id: str
    quiz_title: str
    runs: int
    allowed_before: int
    allowed_after: int


async def grant_runs(
    session: AsyncSession, *, person: Person, program: Program, quiz_id: str, runs: int, reason: str
) -> RetakeGranted:
    """Grant `person` `runs` more runs of a quiz they have used every run of; audited.

    BadRequest (nothing written) when the quiz, the enrollment or a reason is missing, the runs
    are out of range, the quiz has no limit or is passed, or runs are still left.
    """
    reason = reason.strip()
    if not reason:
        raise BadRequest(t("runs.reason_missing"))
    if len(reason) > MAX_REASON:
        raise BadRequest(t("runs.reason_too_long", most=MAX_REASON, length=len(reason)))
    if not 1 <= runs <= MAX_GRANTED_RUNS:
        raise BadRequest(t("runs.grant_out_of_range", most=MAX_GRANTED_RUNS, runs=runs))
    quiz = program.quizzes.get(quiz_id)
    if quiz is None:
        if not program.quizzes:
            raise BadRequest(t("runs.no_such_quiz_none", program=program.id, quiz=quiz_id))
        known = ", ".join(program.quizzes)
        raise BadRequest(t("runs.no_such_quiz", program=program.id, quiz=quiz_id, known=known))
    who = person.display_name
    enrollment = await enrollment_in(session, person_id=person.id, program_id=program.id)
    if enrollment is None:
        raise BadRequest(t("runs.not_enrolled", who=who, program=program.id))
    allowance = await run_allowance(session, quiz, enrollment.id)
    if allowance.allowed is None:
        raise BadRequest(t("runs.no_limit", quiz=quiz.id, who=who))
    outcome = (await outcomes_of(session, enrollment_id=enrollment.id)).get(f"quiz:{quiz.id}")
    if outcome is not None and outcome.status == StepStatus.PASSED:
        raise BadRequest(t("runs.already_passed", who=who, quiz=quiz.id))
    if allowance.left:
        raise BadRequest(
            tn(
                "runs.runs_left",
                allowance.left,
                who=who,
                quiz=quiz.id,
                used=allowance.used,
                allowed=allowance.allowed,
            )
        )
    actor = current_actor()
    await add_retake_grant(
        session,
        enrollment_id=enrollment.id,
        quiz_id=quiz.id,
        runs=runs,
        reason=reason,
        granted_by=actor.identity,
    )
    after = allowance.allowed + runs
    await audit(
        session,
        AuditAction.RETAKE_GRANT,
        workspace_id=person.workspace_id,
        target=f"runs of {program.id}/{quiz.id}",
        subject=person,
        changes={"before": allowance.allowed, "after": after, "runs": runs, "reason": reason},
        actor=actor,
    )
    return RetakeGranted(program.id, quiz.id, quiz.title, runs, allowance.allowed, after)
