"""Where an enrollment stands: step outcomes, quiz results and program completion."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import Quiz, max_points
from storage.models import Attempt, Enrollment, StepProgress
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
    def status(self) -> str:
        if self.pending:
            return "pending"
        return "passed" if self.percent + 1e-9 >= self.pass_mark else "failed"


@dataclass(frozen=True)
class Standing:
    """A summary of one enrollment, for progress views and reports."""

    program: Program
    enrollment: Enrollment
    outcomes: dict[str, StepProgress]

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.program.steps if s.key in self.outcomes)

    def quizzes(self, status: str) -> list[str]:
        return [
            s.id
            for s in self.program.steps
            if s.kind == "quiz" and (o := self.outcomes.get(s.key)) and o.status == status
        ]

    @property
    def complete(self) -> bool:
        passed = set(self.quizzes("passed"))
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
    rows = await session.scalars(
        select(StepProgress).where(StepProgress.enrollment_id == enrollment_id)
    )
    return {row.step_key: row for row in rows}


async def standing(session: AsyncSession, *, program: Program, enrollment: Enrollment) -> Standing:
    return Standing(program, enrollment, await outcomes_of(session, enrollment_id=enrollment.id))


async def record_outcome(
    session: AsyncSession,
    *,
    enrollment: Enrollment,
    step_key: str,
    status: str,
    content_hash: str,
    score: float | None = None,
    max_score: float | None = None,
) -> None:
    """Upsert the outcome of a step (a quiz retaken replaces its earlier outcome)."""
    row = await session.scalar(
        select(StepProgress).where(
            StepProgress.enrollment_id == enrollment.id, StepProgress.step_key == step_key
        )
    )
    if row is None:
        row = StepProgress(enrollment_id=enrollment.id, step_key=step_key)
        session.add(row)
    row.status, row.content_hash = status, content_hash
    row.score, row.max_score, row.updated_at = score, max_score, utcnow()
    await session.flush()


async def quiz_result(session: AsyncSession, *, enrollment: Enrollment, quiz: Quiz) -> QuizResult:
    """The result of the enrollment's current run of `quiz`, from its attempts."""
    rows = list(
        await session.scalars(
            select(Attempt).where(
                Attempt.enrollment_id == enrollment.id,
                Attempt.quiz_id == quiz.id,
                Attempt.quiz_run == enrollment.quiz_run,
            )
        )
    )
    scored = [a for a in rows if a.status == "scored"]
    answered = {a.question_id for a in scored}
    total = sum(max_points(q) for q in quiz.questions if q.id in answered)
    return QuizResult(
        quiz.id,
        sum(a.points or 0 for a in scored),
        total,
        sum(1 for a in rows if a.status == "pending"),
        quiz.pass_mark,
    )
