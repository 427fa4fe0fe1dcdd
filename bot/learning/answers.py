"""Answering a question: check it is still open, score it once, record it, go on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment import parse_response, policy
from bot.assessment.score import Score
from bot.content import Program
from bot.content.schema import Question, Quiz
from bot.core.errors import BadRequest, CannotProceed
from bot.core.text import escape_markdown
from bot.core.views import Reply
from bot.learning import actions as a
from bot.learning import screens
from bot.learning.hooks import AttemptRecorded
from bot.learning.runs import asked, asked_in
from bot.learning.steps import show_current
from bot.learning.turn import Turn
from storage.models import Attempt, AttemptStatus, Enrollment
from storage.queries.attempts import attempts_changed, latest_try, record_attempt

ALREADY = "Already recorded: each question counts once."


async def open_question(
    session: AsyncSession, program: Program, enrollment: Enrollment
) -> tuple[Quiz, int] | None:
    """The quiz as this run asks it and the index of the question the learner is looking
    at, if a question is open."""
    step = program.step(enrollment.cursor_step or "")
    if step is None or step.kind != "quiz" or not enrollment.cursor_shown:
        return None
    found = await asked(session, program, enrollment, step.id)
    if found is None or enrollment.cursor_part >= len(found.quiz.questions):
        return None
    return found.quiz, enrollment.cursor_part


async def _existing(
    turn: Turn, enrollment: Enrollment, quiz_id: str, question_id: str, run: int
) -> Attempt | None:
    return await latest_try(
        turn.session,
        enrollment_id=enrollment.id,
        quiz_id=quiz_id,
        question_id=question_id,
        run=run,
    )


def _kept(error: BadRequest, raw: str | list[str]) -> BadRequest:
    """Repeat long typed text back, so nothing the learner wrote is lost."""
    if isinstance(raw, str) and len(raw) > 200:
        return BadRequest(f"{error}\n\nHere is what you wrote:\n\n> {escape_markdown(raw)}")
    return error


async def answer(
    turn: Turn,
    enrollment: Enrollment,
    ref: str,
    run: int,
    raw: str | list[str],
    *,
    from_button: bool,
) -> Reply:
    """Score and record the learner's answer to question `ref` (`quiz/question`) of `run`."""
    program = turn.program(enrollment)
    quiz_id, _, question_id = ref.partition("/")
    quiz = await asked_in(turn.session, program, enrollment.id, quiz_id, run)
    question = next((q for q in quiz.questions if q.id == question_id), None) if quiz else None
    if quiz is None or question is None:
        if program.question(quiz_id, question_id) is None:
            return Reply(private=("That question is no longer part of the program.",))
        return Reply(private=("That question is not part of this run of the quiz.",))
    index = quiz.questions.index(question)
    current = await open_question(turn.session, program, enrollment)
    is_open = current == (quiz, index) and run == enrollment.quiz_run
    withheld = policy.graded(program, quiz)
    if not is_open:
        earlier = await _existing(turn, enrollment, quiz_id, question_id, run)
        if earlier is not None:
            return _already(quiz, index, question, earlier, from_button, withheld)
        return Reply(private=("That question has closed. Type `next` for your current step.",))
    try:
        response = parse_response(question, raw, by_id=from_button)
    except BadRequest as exc:
        raise _kept(exc, raw) from exc
    previous = await _existing(turn, enrollment, quiz_id, question_id, run)
    if previous is not None and previous.retry_after is None:
        return _already(quiz, index, question, previous, from_button, withheld)  # meanwhile
    now = turn.clock.now()
    try:
        policy.check_cooldown(previous, now)
    except CannotProceed as exc:
        raise _kept(BadRequest(str(exc)), raw) from exc
    score = await turn.scorer.score(program, question, response)
    try_no = previous.try_no + 1 if previous is not None else 1
    values = _attempt(program, enrollment, quiz, question, response, score)
    values.update(try_no=try_no, retry_after=policy.retry_after(question, try_no, score, now))
    attempt = await record_attempt(turn.session, values)
    if attempt is None:  # recorded meanwhile by a concurrent event: that answer stands
        attempts_changed(turn.session, enrollment_id=enrollment.id, quiz_id=quiz_id, run=run)
        earlier = await _existing(turn, enrollment, quiz_id, question_id, run)
        assert earlier is not None
        return _already(quiz, index, question, earlier, from_button, withheld)
    if previous is not None:
        previous.status = AttemptStatus.SUPERSEDED
    final = attempt.retry_after is None
    shown = screens.answered_message(
        quiz,
        index,
        question,
        response,
        score,
        reveal=policy.reveal(question, final, withheld=withheld),
        note=policy.tries_note(question, attempt, now),
        keep=None if final else a.KEEP(a.EnrollmentArgs(enrollment=enrollment.id)),
    )
    reply = Reply(replace_source=shown) if from_button else Reply((shown,))
    event = AttemptRecorded(turn.session, turn.person, enrollment, program, quiz, question, attempt)
    reply = reply + await turn.hooks.emit(event)
    return reply + await show_current(turn, enrollment)


def _already(
    quiz: Quiz,
    index: int,
    question: Question,
    earlier: Attempt,
    from_button: bool,
    withheld: bool,
) -> Reply:
    score = Score(
        earlier.points,
        earlier.max_points,
        AttemptStatus.PENDING if earlier.status == AttemptStatus.PENDING else AttemptStatus.SCORED,
        earlier.correct,
        tuple(earlier.feedback or ()),
        levels=dict((earlier.scoring or {}).get("levels") or {}),
    )
    final = earlier.retry_after is None
    reveal = policy.reveal(question, final, withheld=withheld)
    shown = screens.answered_message(quiz, index, question, earlier.response, score, reveal=reveal)
    return Reply(replace_source=shown if from_button else None, private=(ALREADY,))


def _attempt(
    program: Program,
    enrollment: Enrollment,
    quiz: Quiz,
    question: Question,
    response: Any,
    score: Score,
) -> dict[str, Any]:
    return dict(
        workspace_id=enrollment.workspace_id,
        enrollment_id=enrollment.id,
        program_id=program.id,
        quiz_id=quiz.id,
        question_id=question.id,
        quiz_run=enrollment.quiz_run,
        content_hash=program.question_hash(quiz.id, question.id),
        response=response,
        status=score.status,
        points=score.points,
        max_points=score.max_points,
        correct=score.correct,
        feedback=list(score.feedback),
        scorer=score.scorer,
        scoring={"levels": score.levels, **score.details}
        if score.levels
        else score.details or None,
    )
