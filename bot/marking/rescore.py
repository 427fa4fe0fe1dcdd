"""Human re-scoring: confirm or override an answer's score, then update the learner's progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.scoring import ExactScorer, Scorer
from bot.content import Catalog, Program
from bot.content.schema import FreeText, Portfolio, Question, Quiz, max_points
from bot.core.errors import BadRequest, CannotProceed
from bot.core.ports import Events
from bot.core.text import escape_markdown, shorten
from bot.core.views import Reply, say
from bot.learning.audit import audit
from bot.learning.hooks import CompletionWithdrawn
from bot.learning.progress import outcomes_of, standing
from bot.learning.steps import finish_program, record_quiz_outcome
from bot.learning.turn import Turn
from storage.models import (
    Attempt,
    AttemptStatus,
    AuditAction,
    Enrollment,
    EnrollmentStatus,
    LearnerNotice,
    ScoreStatus,
    StepStatus,
)
from storage.queries.assessment import QueueItem, attempt_with_learner, score_record


@dataclass(frozen=True)
class Rescored:
    attempt_id: int
    learner: str
    before: float | None
    after: float
    max_points: float
    quiz_status: str | None
    """The quiz's new outcome, or None while the quiz is unfinished or was retaken since."""
    notice: str
    learner_reply: Reply
    """What the learner should see; also stored as a `LearnerNotice` for delivery."""


def levels_to_points(question: Question, levels: dict[str, str]) -> float:
    """Points for one level per criterion; BadRequest names what does not fit the rubric."""
    if not isinstance(question, FreeText | Portfolio):
        raise BadRequest("This question has no rubric: give points instead.")
    total = 0.0
    for criterion in question.rubric.criteria:
        chosen = levels.get(criterion.id)
        level = next((lvl for lvl in criterion.levels if lvl.id == chosen), None)
        if level is None:
            known = ", ".join(lvl.id for lvl in criterion.levels)
            raise BadRequest(f"Pick a level for “{criterion.title}”: one of {known}.")
        total += level.points
    return total


def _correct(question: Question, points: float) -> bool:
    if isinstance(question, FreeText | Portfolio):
        return points + 1e-9 >= question.rubric.pass_mark
    return points + 1e-9 >= max_points(question)


async def load(
    session: AsyncSession, catalog: Catalog, attempt_id: int
) -> tuple[QueueItem, Program, Quiz, Question]:
    item = await attempt_with_learner(session, attempt_id=attempt_id)
    if item is None:
        raise BadRequest(f"There is no answer #{attempt_id}.")
    program = catalog.get(item.attempt.program_id)
    quiz = program.quizzes.get(item.attempt.quiz_id) if program else None
    question = program.question(item.attempt.quiz_id, item.attempt.question_id) if program else None
    if program is None or quiz is None or question is None:
        raise CannotProceed(f"Answer #{attempt_id} belongs to a question that no longer exists.")
    return item, program, quiz, question


async def rescore(
    session: AsyncSession,
    *,
    catalog: Catalog,
    hooks: Events,
    attempt_id: int,
    actor: str,
    source: str,
    points: float | None = None,
    levels: dict[str, str] | None = None,
    reason: str = "",
    scorer: Scorer | None = None,
    audited: bool = True,
) -> Rescored:
    """Confirm (no points, no levels) or override an answer's score, with a reason.

    Updates the quiz outcome when the quiz has one for the run the answer belongs to,
    re-opens it when it drops below the pass mark, and completes the program when that
    was all that was missing. The learner's message is stored as a `LearnerNotice`.
    A person's re-score is audited (the acting identity, else the command line's user);
    peer review's quorum passes `audited=False`, its decisions being its own record.
    """
    item, program, quiz, question = await load(session, catalog, attempt_id)
    attempt, learner, enrollment = item.attempt, item.learner, item.enrollment
    if attempt.status == AttemptStatus.SUPERSEDED:
        raise BadRequest(f"Answer #{attempt_id} was replaced by a later try; score that one.")
    before = attempt.points
    confirming = points is None and not levels
    if levels:
        points = levels_to_points(question, levels)
    if confirming:
        if before is None:
            raise BadRequest(f"Answer #{attempt_id} has no score to confirm yet: score it.")
        points = before
    assert points is not None
    if not 0 <= points <= attempt.max_points:
        raise BadRequest(f"Points must be between 0 and {attempt.max_points:g}.")
    changes_scored = attempt.status == AttemptStatus.SCORED and abs(points - (before or 0)) > 1e-9
    if (changes_scored or (before is not None and points != before)) and not reason.strip():
        raise BadRequest("Give a reason when you change a score: the learner will see it.")
    action = "confirm" if confirming else "override" if before is not None else "score"
    scoring: dict[str, Any] = dict(attempt.scoring or {})
    if levels:
        scoring["levels"] = dict(levels)
    scoring["review"] = {"by": actor, "action": action, "before": before, "reason": reason}
    note = f"Reviewed by a person: {escape_markdown(reason.strip())}" if reason.strip() else ""
    attempt.points, attempt.status, attempt.scoring = (
        round(points, 4),
        AttemptStatus.SCORED,
        scoring,
    )
    attempt.correct, attempt.scorer = _correct(question, points), source
    attempt.retry_after = None
    attempt.feedback = [*(attempt.feedback or []), *([note] if note else [])]
    session.add(
        score_record(
            attempt,
            source=source,
            actor=actor,
            status=ScoreStatus.SCORED,
            points=attempt.points,
            stood=True,
            levels=scoring.get("levels"),
            reason=reason.strip(),
            details={"action": action, "before": before},
        )
    )
    await session.flush()
    entry = None
    if audited:  # before the outcome, so what follows from it is listed after it
        entry = await audit(
            session,
            AuditAction.SCORE_CONFIRM if confirming else AuditAction.SCORE_OVERRIDE,
            workspace_id=attempt.workspace_id,
            target=f"answer #{attempt.id} in {program.id}/{quiz.id}/{attempt.question_id}",
            subject=learner,
            changes={
                "points": {"before": before, "after": attempt.points},
                "max_points": attempt.max_points,
                **({"levels": dict(levels)} if levels else {}),
                "reason": reason.strip(),
                "recorded_as": actor,
            },
        )
    turn = Turn(session, learner, catalog, hooks, scorer or ExactScorer())
    quiz_status, extra = await _update_outcome(turn, program, quiz, enrollment, attempt)
    if entry is not None:
        entry.changes = {**entry.changes, "quiz": quiz_status}
    text = _notice_text(program, quiz, question, attempt, before, reason, quiz_status)
    session.add(
        LearnerNotice(
            workspace_id=attempt.workspace_id,
            person_id=learner.id,
            kind="rescored",
            attempt_id=attempt.id,
            text=text,
        )
    )
    await session.flush()
    return Rescored(
        attempt.id,
        learner.display_name,
        before,
        attempt.points or 0.0,
        attempt.max_points,
        quiz_status,
        text,
        say(text) + extra,
    )


async def _update_outcome(
    turn: Turn, program: Program, quiz: Quiz, enrollment: Enrollment, attempt: Attempt
) -> tuple[str | None, Reply]:
    key = f"quiz:{quiz.id}"
    outcomes = await outcomes_of(turn.session, enrollment_id=enrollment.id)
    if attempt.quiz_run != enrollment.quiz_run or key not in outcomes:
        return None, Reply()
    was_complete = enrollment.completed_at is not None
    result, extra = await record_quiz_outcome(turn, enrollment, program, quiz)
    st = await standing(turn.session, program=program, enrollment=enrollment)
    if st.complete and enrollment.cursor_step is None:
        extra = extra + await finish_program(turn, enrollment)
    elif was_complete and not st.complete:
        enrollment.status = (
            EnrollmentStatus.FINISHED if enrollment.cursor_step is None else EnrollmentStatus.ACTIVE
        )
        enrollment.completed_at = None
        extra = extra + await turn.hooks.emit(
            CompletionWithdrawn(turn.session, turn.person, enrollment, program)
        )
    return result.status, extra


def _notice_text(
    program: Program,
    quiz: Quiz,
    question: Question,
    attempt: Attempt,
    before: float | None,
    reason: str,
    quiz_status: str | None,
) -> str:
    was = f" (was {before:g})" if before is not None and before != attempt.points else ""
    lines = [
        f"📝 Your answer to “{shorten(' '.join(question.prompt.split()), 80)}” in "
        f"**{quiz.title}** ({program.title}) was reviewed: "
        f"**{attempt.points:g} of {attempt.max_points:g} points**{was}."
    ]
    if reason.strip():
        lines.append(f"Reviewer's note: {escape_markdown(shorten(reason.strip(), 500))}")
    if quiz_status == StepStatus.PASSED:
        lines.append(f"✅ **{quiz.title}** is now passed.")
    elif quiz_status == StepStatus.FAILED:
        lines.append(f"**{quiz.title}** is not passed yet: type `retake {quiz.id}` to try again.")
    elif quiz_status == StepStatus.PENDING:
        lines.append(f"**{quiz.title}** still has answers awaiting review.")
    return "\n\n".join(lines)
