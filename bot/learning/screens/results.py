"""Quiz results, the end of a program, progress and the learner's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.content.schema import Question, Quiz
from bot.core.copy import t, tn
from bot.core.text import plain_text, shorten
from bot.core.views import (
    Button,
    Buttons,
    Divider,
    Header,
    Message,
    Text,
    message,
)
from bot.learning import actions as a
from bot.learning.progress import QuizResult, Standing
from bot.learning.screens.common import out_of
from bot.learning.screens.questions import correct_answer
from bot.learning.screens.settings_view import settings_message
from storage.models import UNDERWAY, EnrollmentStatus, StepStatus

MAX_REVIEWED = 10
"""Missed questions listed under a result, at most."""


@dataclass(frozen=True)
class RunReview:
    """What a run's result may show about the questions the learner missed."""

    missed: tuple[Question, ...] = ()
    lessons: tuple[str, ...] = ()
    """Titles of the lessons that teach what was missed."""
    answers: bool = True
    """Whether the correct answers are shown (not while a graded quiz has runs left)."""
    runs_left: int | None = None
    """After a failed run: retakes still open (None: no limit)."""
    retake_at: datetime | None = None
    """After a failed run with a retake cool-down: when the next run opens."""


def _missed_line(question: Question, answers: bool) -> str:
    """One missed question: its prompt, then (when answers are shown) the answer and why."""
    prompt = shorten(" ".join(plain_text(question.prompt).split()), 120)
    answer = correct_answer(question).rstrip(".") if answers else ""
    why = shorten(plain_text(question.explanation), 300) if answers and question.explanation else ""
    if answer and why:
        return t("result.missed_answer_why", prompt=prompt, answer=answer, explanation=why)
    if answer:
        return t("result.missed_answer", prompt=prompt, answer=answer)
    if why:
        return t("result.missed_why", prompt=prompt, explanation=why)
    return t("result.missed", prompt=prompt)


def _review_text(review: RunReview) -> str:
    if not review.missed:
        return ""
    lines = [_missed_line(question, review.answers) for question in review.missed[:MAX_REVIEWED]]
    if len(review.missed) > MAX_REVIEWED:
        lines.append(t("result.missed_more", n=len(review.missed) - MAX_REVIEWED))
    questions = "\n\n".join(lines)
    if review.answers:
        return t("result.what_you_missed", questions=questions)
    if review.lessons:
        lessons = ", ".join(f"*{title}*" for title in review.lessons)
        return t("result.missed_this_time_revisit", questions=questions, lessons=lessons)
    return t("result.missed_this_time", questions=questions)


def _retake_text(review: RunReview) -> str:
    if review.runs_left == 0:
        return t("result.no_runs_left")
    opens = review.retake_at
    if opens is None:
        if review.runs_left is None:
            return t("result.retake_note")
        return tn("result.retakes_left", review.runs_left)
    if opens.tzinfo is not None:
        opens = opens.astimezone(UTC)
    when = f"{opens:%Y-%m-%d %H:%M}"  # ISO, as every locale reads it unambiguously
    if review.runs_left is None:
        return t("result.retake_opens", when=when)
    return tn("result.retakes_left_opens", review.runs_left, when=when)


def _headline(result: QuizResult) -> str:
    got = t("answer.got", points=result.points, out_of=out_of(result.max_points))
    percent = round(result.percent)
    if result.status == StepStatus.PASSED:
        return t("result.passed", got=got, percent=percent)
    if result.status == StepStatus.FAILED:
        return t("result.not_yet", got=got, percent=percent, pass_mark=result.pass_mark)
    return tn("result.awaiting_review", result.pending, got=got)


def quiz_result_message(
    quiz: Quiz,
    result: QuizResult,
    enrollment_id: int,
    has_next: bool,
    review: RunReview | None = None,
) -> Message:
    headline = _headline(result)
    buttons = []
    if has_next:
        buttons.append(
            Button(
                t("result.continue"),
                a.CONTINUE(a.StepArgs(enrollment=enrollment_id, step=f"quiz:{quiz.id}")),
                "primary",
                "next",
            )
        )
    review = review or RunReview()
    if result.status == StepStatus.FAILED and review.runs_left != 0:
        buttons.append(
            Button(
                t("result.retake"),
                a.RETAKE(a.RetakeArgs(enrollment=enrollment_id, quiz=quiz.id)),
                command=f"retake {quiz.id}",
            )
        )
    blocks: list[Any] = [Header(t("result.title", quiz=shorten(quiz.title, 120))), Text(headline)]
    if text := _review_text(review):
        blocks.append(Text(text))
    if result.status == StepStatus.FAILED:
        blocks.append(Text(_retake_text(review)))
    if buttons:
        blocks.append(Buttons(tuple(buttons)))
    return message(*blocks, fallback=headline)


def finished_message(standing: Standing, closed: frozenset[str] = frozenset()) -> Message:
    """The end of the program; `closed` quizzes have no run left and offer no retake."""
    program = standing.program
    enrollment_id = standing.enrollment.id
    if standing.complete:
        text = t("finished.completed", program=program.title, badge=program.meta.badge.name)
        return message(
            Header(t("finished.complete_title")),
            Text(text),
            fallback=t("finished.completed_fallback", program=program.title),
        )
    blocks: list[Any] = [
        Header(t("finished.title")),
        Text(t("finished.worked_through", program=program.title)),
    ]
    pending = standing.quizzes(StepStatus.PENDING)
    failed = standing.quizzes(StepStatus.FAILED)
    if pending:
        titles = ", ".join(program.quizzes[q].title for q in pending)
        blocks.append(Text(tn("finished.awaiting_review", len(pending), quizzes=titles)))
    if failed:
        titles = ", ".join(program.quizzes[q].title for q in failed)
        blocks.append(Text(t("finished.to_earn", quizzes=titles)))
        if done := [program.quizzes[q].title for q in failed if q in closed]:
            blocks.append(Text(t("finished.no_run_left", quizzes=", ".join(done))))
        open_ = [q for q in failed if q not in closed]
        if open_:
            blocks.append(
                Buttons(
                    tuple(
                        Button(
                            t("finished.retake", quiz=shorten(program.quizzes[q].title, 60)),
                            a.RETAKE(a.RetakeArgs(enrollment=enrollment_id, quiz=q)),
                            command=f"retake {q}",
                        )
                        for q in open_[:5]
                    )
                )
            )
    return message(*blocks, fallback=t("finished.fallback", program=program.title))


def _standing_text(st: Standing) -> str:
    """A program's line in the progress list: steps done, its state, and its quizzes."""
    state = t(
        {
            EnrollmentStatus.COMPLETED: "progress.completed",
            EnrollmentStatus.PAUSED: "progress.paused",
            EnrollmentStatus.FINISHED: "progress.finished",
        }.get(EnrollmentStatus(st.enrollment.status), "progress.in_progress")
    )
    fields = {
        "program": st.program.title,
        "steps": tn("progress.steps", len(st.program.steps), done=st.steps_done),
        "state": state,
    }
    passed = st.quizzes(StepStatus.PASSED)
    pending = st.quizzes(StepStatus.PENDING)
    if passed:
        fields["passed"] = tn("progress.quizzes_passed", len(passed))
    if pending:
        fields["pending"] = t("progress.awaiting_review", n=len(pending))
    if passed and pending:
        return t("progress.program_passed_pending", **fields)
    if passed:
        return t("progress.program_passed", **fields)
    if pending:
        return t("progress.program_pending", **fields)
    return t("progress.program", **fields)


def progress_message(standings: list[Standing]) -> Message:
    if not standings:
        return message(
            Header(t("progress.title")),
            Text(t("progress.not_enrolled")),
            Buttons((Button(t("progress.browse"), a.CATALOG(), "primary", "catalog"),)),
            fallback=t("progress.not_enrolled"),
        )
    blocks: list[Any] = [Header(t("progress.title"))]
    for st in standings:
        blocks.append(Text(_standing_text(st)))
        if st.enrollment.status in UNDERWAY:
            blocks.append(
                Buttons(
                    (
                        Button(
                            t("progress.continue"),
                            a.NEXT(a.EnrollmentArgs(enrollment=st.enrollment.id)),
                            "primary",
                            "next",
                        ),
                    )
                )
            )
        blocks.append(Divider())
    return message(*blocks[:-1], fallback=t("progress.title"))


def _next_up(st: Standing) -> str:
    """What the cursor points at, in words."""
    step = st.program.step(st.enrollment.cursor_step or "")
    if step is None:
        return t("home.all_done")
    if step.kind == "lesson":
        return t("home.next_lesson", title=st.program.lessons[step.id].meta.title)
    return t("home.next_quiz", title=st.program.quizzes[step.id].title)


def home_message(standings: list[Standing], timezone: str, cadence: str, paused: bool) -> Message:
    """A learner's dashboard (Slack App Home): next up with one button, progress, settings."""
    blocks: list[Any] = [Header(t("home.title"))]
    current = next((s for s in standings if s.enrollment.status in UNDERWAY), None)
    if current is not None:
        blocks.append(
            Text(t("home.current", program=current.program.title, next_up=_next_up(current)))
        )
        action = a.NEXT(a.EnrollmentArgs(enrollment=current.enrollment.id))
        blocks.append(Buttons((Button(t("progress.continue"), action, "primary", "next"),)))
    else:
        browse = Button(t("progress.browse"), a.CATALOG(), "primary", "catalog")
        blocks.append(Text(t("home.caught_up") if standings else t("home.no_lessons")))
        blocks.append(Buttons((browse,)))
    if standings:
        blocks.append(Divider())
        blocks.extend(b for b in progress_message(standings).blocks if not isinstance(b, Buttons))
    blocks.append(Divider())
    blocks.extend(settings_message(timezone, cadence, paused).blocks)
    return message(*blocks, fallback=t("home.fallback"))
