"""Where an enrollment stands: step outcomes, quiz results and program completion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import Quiz, max_points
from storage.models import AttemptStatus, Enrollment, StepProgress, StepStatus
from storage.queries.attempts import run_attempts
from storage.queries.progress import step_outcome, step_outcomes, step_outcomes_of
from storage.types import utcnow


@dataclass(frozen=True)
class QuizResult:
    quiz_id: str
    points: float
    max_points: float
    pending: int
    pass_mark: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 100.0

    @property
    def status(self) -> StepStatus:
        if self.pending:
            return StepStatus.PENDING
        return StepStatus.PASSED if self.percent + 1e-9 >= self.pass_mark else StepStatus.FAILED


@dataclass(frozen=True)
class Standing:
    """A summary of one enrollment, for progress views and reports."""

    program: Program
    enrollment: Enrollment
    outcomes: dict[str, StepProgress]

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.program.steps if s.key in self.outcomes)

    def quizzes(self, status: StepStatus) -> list[str]:
        return [
            s.id
            for s in self.program.steps
            if s.kind == "quiz" and (o := self.outcomes.get(s.key)) and o.status == status
        ]

    @property
    def complete(self) -> bool:
        passed = set(self.quizzes(StepStatus.PASSED))
        required = self.program.required_quizzes()
        if not all(q in passed for q in required):
            return False
        mark = self.program.meta.passing.pass_mark
        if mark is None:
            return True
        rows = [self.outcomes[f"quiz:{q}"] for q in required]
        total = sum(o.max_score or 0 for o in rows)
        return not total or 100 * sum(o.score or 0 for o in rows) / total + 1e-9 >= mark


async def outcomes_of(session: AsyncSession, *, enrollment_id: int) -> dict[str, StepProgress]:
    """The enrollment's step outcomes, by step key."""
    return await step_outcomes(session, enrollment_id=enrollment_id)


async def standing(session: AsyncSession, *, program: Program, enrollment: Enrollment) -> Standing:
    return Standing(program, enrollment, await outcomes_of(session, enrollment_id=enrollment.id))


async def standings(
    session: AsyncSession, *, enrollments: Sequence[tuple[Program, Enrollment]]
) -> list[Standing]:
    """Where each of several enrollments stands, in their order, from one query."""
    if not enrollments:
        return []
    outcomes = await step_outcomes_of(session, enrollment_ids=[e.id for _, e in enrollments])
    return [Standing(program, e, outcomes[e.id]) for program, e in enrollments]


async def record_outcome(
    session: AsyncSession,
    *,
    enrollment: Enrollment,
    step_key: str,
    status: StepStatus,
    content_hash: str,
    score: float | None = None,
    max_score: float | None = None,
) -> None:
    """Upsert the outcome of a step (a quiz retaken replaces its earlier outcome)."""
    row = await step_outcome(session, enrollment_id=enrollment.id, step_key=step_key)
    if row is None:
        row = StepProgress(enrollment_id=enrollment.id, step_key=step_key)
        session.add(row)
    row.status, row.content_hash = status, content_hash
    row.score, row.max_score, row.updated_at = score, max_score, utcnow()
    await session.flush()


async def quiz_result(session: AsyncSession, *, enrollment: Enrollment, quiz: Quiz) -> QuizResult:
    """The result of the enrollment's current run of `quiz`, from its attempts."""
    rows = await run_attempts(
        session, enrollment_id=enrollment.id, quiz_id=quiz.id, run=enrollment.quiz_run
    )
    scored = [a for a in rows if a.status == AttemptStatus.SCORED]
    answered = {a.question_id for a in scored}
    total = sum(max_points(q) for q in quiz.questions if q.id in answered)
    return QuizResult(
        quiz.id,
        sum(a.points or 0 for a in scored),
        total,
        sum(1 for a in rows if a.status == AttemptStatus.PENDING),
        quiz.pass_mark,
    )
