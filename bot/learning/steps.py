"""Moving through a program: show the step at the cursor, turn pages, finish steps."""

from __future__ import annotations

from datetime import timedelta

from bot.assessment import policy
from bot.assessment.policy import tries_context
from bot.content import Program
from bot.content.schema import Question, Quiz
from bot.core.views import Reply
from bot.learning import screens
from bot.learning.hooks import ProgramCompleted, StepFinished
from bot.learning.progress import QuizResult, quiz_result, record_outcome, standing
from bot.learning.runs import AskedQuiz, asked, closed_quizzes, run_allowance
from bot.learning.turn import Turn
from storage.models import Enrollment, EnrollmentStatus, StepStatus
from storage.queries.attempts import answered_questions, latest_try, scored_run_attempts


def _next_open_step(program: Program, after: str | None, done: set[str]) -> str | None:
    keys = [s.key for s in program.steps]
    start = keys.index(after) + 1 if after in keys else 0
    for key in keys[start:] + keys[:start]:
        if key not in done:
            return key
    return None


async def _answered(turn: Turn, enrollment: Enrollment, quiz_id: str) -> set[str]:
    return await answered_questions(
        turn.session, enrollment_id=enrollment.id, quiz_id=quiz_id, run=enrollment.quiz_run
    )


async def show_current(turn: Turn, enrollment: Enrollment) -> Reply:
    """Show what is at the cursor (or the end of the program), and mark it shown."""
    program = turn.program(enrollment)
    enrollment.touched_at = turn.clock.now()
    step = program.step(enrollment.cursor_step or "")
    if step is None and enrollment.cursor_step is not None:
        # The program was edited and the step is gone: go on with the first open step.
        st = await standing(turn.session, program=program, enrollment=enrollment)
        enrollment.cursor_step = _next_open_step(program, None, set(st.outcomes))
        enrollment.cursor_part = 0
        step = program.step(enrollment.cursor_step or "")
    if step is None:
        return await finish_program(turn, enrollment)
    enrollment.cursor_shown = True
    if step.kind == "lesson":
        lesson = program.lessons[step.id]
        enrollment.cursor_part = min(enrollment.cursor_part, len(lesson.pages) - 1)
        return Reply((screens.lesson_page(program, lesson, enrollment.cursor_part, enrollment.id),))
    found = await asked(turn.session, program, enrollment, step.id)
    assert found is not None
    quiz = found.quiz
    answered = await _answered(turn, enrollment, quiz.id)
    open_questions = [i for i, q in enumerate(quiz.questions) if q.id not in answered]
    if not open_questions:
        return await finish_quiz(turn, enrollment)
    enrollment.cursor_part = open_questions[0]
    question = quiz.questions[enrollment.cursor_part]
    previous = await latest_try(
        turn.session,
        enrollment_id=enrollment.id,
        quiz_id=quiz.id,
        question_id=question.id,
        run=enrollment.quiz_run,
    )
    notices = (turn.scorer.disclosure(program, question), tries_context(question, previous))
    message = screens.question_message(
        program, quiz, enrollment.cursor_part, enrollment.id, enrollment.quiz_run, notices
    )
    return Reply((message,))


async def advance(turn: Turn, enrollment: Enrollment) -> Reply:
    """`next`: the next page of a lesson, the open question of a quiz, or the next step."""
    if not enrollment.cursor_shown:
        return await show_current(turn, enrollment)
    program = turn.program(enrollment)
    step = program.step(enrollment.cursor_step or "")
    if step is not None and step.kind == "lesson":
        if enrollment.cursor_part + 1 < len(program.lessons[step.id].pages):
            enrollment.cursor_part += 1
            return await show_current(turn, enrollment)
        return await complete_lesson(turn, enrollment)
    return await show_current(turn, enrollment)


async def complete_lesson(turn: Turn, enrollment: Enrollment) -> Reply:
    program = turn.program(enrollment)
    key = enrollment.cursor_step or ""
    lesson = program.lessons[key.split(":", 1)[1]]
    await record_outcome(
        turn.session,
        enrollment=enrollment,
        step_key=key,
        status=StepStatus.DONE,
        content_hash=lesson.hash,
    )
    extra = await turn.hooks.emit(
        StepFinished(turn.session, turn.person, enrollment, program, key, StepStatus.DONE)
    )
    await move_on(turn, enrollment)
    return extra + await show_current(turn, enrollment)


async def move_on(turn: Turn, enrollment: Enrollment) -> None:
    """Point the cursor at the next step without an outcome (None at the end)."""
    program = turn.program(enrollment)
    st = await standing(turn.session, program=program, enrollment=enrollment)
    enrollment.cursor_step = _next_open_step(program, enrollment.cursor_step, set(st.outcomes))
    enrollment.cursor_part = 0
    enrollment.cursor_shown = False


async def record_quiz_outcome(
    turn: Turn, enrollment: Enrollment, program: Program, quiz: Quiz
) -> tuple[QuizResult, Reply]:
    """Store the current run's result as the quiz's outcome and tell the subscribers."""
    key = f"quiz:{quiz.id}"
    result = await quiz_result(turn.session, enrollment=enrollment, quiz=quiz)
    await record_outcome(
        turn.session,
        enrollment=enrollment,
        step_key=key,
        status=result.status,
        content_hash=program.hash,
        score=result.points,
        max_score=result.max_points,
    )
    extra = await turn.hooks.emit(
        StepFinished(turn.session, turn.person, enrollment, program, key, result.status)
    )
    return result, extra


async def finish_quiz(turn: Turn, enrollment: Enrollment) -> Reply:
    """Record the quiz's outcome, move on, and show the result."""
    program = turn.program(enrollment)
    key = enrollment.cursor_step or ""
    found = await asked(turn.session, program, enrollment, key.split(":", 1)[1])
    assert found is not None
    result, extra = await record_quiz_outcome(turn, enrollment, program, found.quiz)
    found.run.ended_at = found.run.ended_at or turn.clock.now()
    review = await run_review(turn, enrollment, program, found, result)
    await move_on(turn, enrollment)
    has_next = enrollment.cursor_step is not None
    shown = screens.quiz_result_message(found.quiz, result, enrollment.id, has_next, review)
    reply = Reply((shown,)) + extra
    if not has_next:
        reply = reply + await finish_program(turn, enrollment)
    return reply


async def run_review(
    turn: Turn, enrollment: Enrollment, program: Program, found: AskedQuiz, result: QuizResult
) -> screens.RunReview:
    """What the result of a run may show: the missed questions, and their answers only when
    the quiz is not graded, is passed, or has no run left."""
    rows = await scored_run_attempts(
        turn.session, enrollment_id=enrollment.id, quiz_id=found.quiz.id, run=found.run.run
    )
    missed_ids = {a.question_id for a in rows if not a.correct}
    missed = tuple(q for q in found.quiz.questions if q.id in missed_ids)
    left = (await run_allowance(turn.session, found.quiz, enrollment.id)).left  # grants count
    graded = policy.graded(program, found.quiz)
    answers = not graded or result.status == StepStatus.PASSED or left == 0
    retake_at = None
    if result.status == StepStatus.FAILED and left != 0 and found.quiz.retake_cooldown_seconds:
        retake_at = turn.clock.now() + timedelta(seconds=found.quiz.retake_cooldown_seconds)
    return screens.RunReview(
        missed=missed,
        lessons=lessons_for(program, missed),
        answers=answers,
        runs_left=left if result.status == StepStatus.FAILED else None,
        retake_at=retake_at,
    )


def lessons_for(program: Program, questions: tuple[Question, ...]) -> tuple[str, ...]:
    """Titles of the lessons that teach the skills of `questions`, in program order."""
    skills = {s for q in questions for s in q.skills}
    return tuple(
        step.title
        for step in program.steps
        if step.kind == "lesson" and skills & set(program.lessons[step.id].meta.skills)
    )


async def finish_program(turn: Turn, enrollment: Enrollment) -> Reply:
    """Every step has an outcome: mark the program finished, or completed when it passes."""
    program = turn.program(enrollment)
    st = await standing(turn.session, program=program, enrollment=enrollment)
    now = turn.clock.now()
    enrollment.finished_at = enrollment.finished_at or now
    enrollment.cursor_shown = True
    closed = await closed_quizzes(
        turn.session, program, enrollment.id, st.quizzes(StepStatus.FAILED)
    )
    reply = Reply((screens.finished_message(st, closed),))
    if st.complete:
        first_time = enrollment.completed_at is None
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = enrollment.completed_at or now
        if first_time:
            event = ProgramCompleted(turn.session, turn.person, enrollment, program)
            reply = reply + await turn.hooks.emit(event)
    elif enrollment.status == EnrollmentStatus.ACTIVE:
        enrollment.status = EnrollmentStatus.FINISHED
    return reply
