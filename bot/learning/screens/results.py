"""Quiz results, the end of a program, progress and the learner's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.content.schema import Question, Quiz
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


def _review_text(review: RunReview) -> str:
    if not review.missed:
        return ""
    lines = []
    for question in review.missed[:MAX_REVIEWED]:
        prompt = " ".join(plain_text(question.prompt).split())
        line = f"❌ {shorten(prompt, 120)}"
        answer = correct_answer(question) if review.answers else ""
        if answer:
            line += f"\n    The answer: **{answer.rstrip('.')}**."
        if review.answers and question.explanation:
            line += f" {shorten(plain_text(question.explanation), 300)}"
        lines.append(line)
    if len(review.missed) > MAX_REVIEWED:
        lines.append(f"… and {len(review.missed) - MAX_REVIEWED} more.")
    heading = "**What you missed**" if review.answers else "**Missed this time**"
    text = heading + "\n\n" + "\n\n".join(lines)
    if not review.answers and review.lessons:
        text += "\n\nRevisit: " + ", ".join(f"*{t}*" for t in review.lessons) + "."
    return text


def _retake_text(review: RunReview) -> str:
    if review.runs_left == 0:
        return (
            "You have used every run of this quiz, so the answers are shown above. "
            "Ask your learning admin if you need another go."
        )
    parts = []
    if review.runs_left is not None:
        parts.append(f"{review.runs_left} retake{'s' if review.runs_left != 1 else ''} left")
    if review.retake_at is not None:
        parts.append(f"the next run opens {review.retake_at:%Y-%m-%d %H:%M} UTC")
    note = "; ".join(parts)
    return (
        "A retake asks other questions where the quiz has them; answers are shown once you "
        "pass" + (f" ({note})." if note else ".")
    )


def quiz_result_message(
    quiz: Quiz,
    result: QuizResult,
    enrollment_id: int,
    has_next: bool,
    review: RunReview | None = None,
) -> Message:
    percent = f"{result.percent:.0f} %"
    if result.status == StepStatus.PASSED:
        headline = f"✅ Passed: {result.points:g} of {result.max_points:g} points ({percent})."
    elif result.status == StepStatus.FAILED:
        headline = (
            f"Not yet: {result.points:g} of {result.max_points:g} points ({percent}); "
            f"the pass mark is {result.pass_mark:g} %. Review the lessons and retake it when ready."
        )
    else:
        headline = (
            f"{result.points:g} of {result.max_points:g} points so far; {result.pending} "
            f"answer{'s' if result.pending != 1 else ''} awaiting review before this quiz counts."
        )
    buttons = []
    if has_next:
        buttons.append(
            Button(
                "Continue",
                a.CONTINUE(a.StepArgs(enrollment=enrollment_id, step=f"quiz:{quiz.id}")),
                "primary",
                "next",
            )
        )
    review = review or RunReview()
    if result.status == StepStatus.FAILED and review.runs_left != 0:
        buttons.append(
            Button(
                "Retake quiz",
                a.RETAKE(a.RetakeArgs(enrollment=enrollment_id, quiz=quiz.id)),
                command=f"retake {quiz.id}",
            )
        )
    blocks: list[Any] = [Header(f"{shorten(quiz.title, 120)}: result"), Text(headline)]
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
        text = (
            f"🎓 You completed **{program.title}**: every required quiz is passed. "
            f"Your credential *{program.meta.badge.name}* is on its way."
        )
        return message(
            Header("Program complete"), Text(text), fallback=f"You completed {program.title}"
        )
    blocks: list[Any] = [
        Header("Every step done"),
        Text(f"You have worked through every step of **{program.title}**."),
    ]
    pending = standing.quizzes(StepStatus.PENDING)
    failed = standing.quizzes(StepStatus.FAILED)
    if pending:
        titles = ", ".join(program.quizzes[q].title for q in pending)
        blocks.append(
            Text(f"📝 Awaiting review: {titles}. Your credential follows once they pass.")
        )
    if failed:
        titles = ", ".join(program.quizzes[q].title for q in failed)
        blocks.append(Text(f"To earn the credential, pass: {titles}."))
        if done := [program.quizzes[q].title for q in failed if q in closed]:
            blocks.append(
                Text(
                    f"No run is left of {', '.join(done)}: ask your learning admin if you "
                    "need another go."
                )
            )
        open_ = [q for q in failed if q not in closed]
        if open_:
            blocks.append(
                Buttons(
                    tuple(
                        Button(
                            f"Retake {shorten(program.quizzes[q].title, 60)}",
                            a.RETAKE(a.RetakeArgs(enrollment=enrollment_id, quiz=q)),
                            command=f"retake {q}",
                        )
                        for q in open_[:5]
                    )
                )
            )
    return message(*blocks, fallback=f"Every step of {program.title} done")


def progress_message(standings: list[Standing]) -> Message:
    if not standings:
        return message(
            Header("Your progress"),
            Text("You are not enrolled in a program yet."),
            Buttons((Button("Browse programs", a.CATALOG(), "primary", "catalog"),)),
            fallback="You are not enrolled in a program yet.",
        )
    blocks: list[Any] = [Header("Your progress")]
    for st in standings:
        total = len(st.program.steps)
        status = st.enrollment.status
        state = {
            EnrollmentStatus.COMPLETED: "🎓 completed",
            EnrollmentStatus.PAUSED: "⏸ paused",
            EnrollmentStatus.FINISHED: "all steps done",
        }.get(EnrollmentStatus(status), "in progress")
        parts = [f"{st.steps_done} of {total} steps", state]
        if passed := st.quizzes(StepStatus.PASSED):
            parts.append(f"{len(passed)} quiz{'zes' if len(passed) != 1 else ''} passed")
        if pending := st.quizzes(StepStatus.PENDING):
            parts.append(f"{len(pending)} awaiting review")
        blocks.append(Text(f"**{st.program.title}**\n" + " · ".join(parts)))
        if status in UNDERWAY:
            blocks.append(
                Buttons(
                    (
                        Button(
                            "Continue",
                            a.NEXT(a.EnrollmentArgs(enrollment=st.enrollment.id)),
                            "primary",
                            "next",
                        ),
                    )
                )
            )
        blocks.append(Divider())
    return message(*blocks[:-1], fallback="Your progress")


def _next_up(st: Standing) -> str:
    """What the cursor points at, in words."""
    step = st.program.step(st.enrollment.cursor_step or "")
    if step is None:
        return "All steps done."
    if step.kind == "lesson":
        return f"Lesson: {st.program.lessons[step.id].meta.title}"
    return f"Quiz: {st.program.quizzes[step.id].title}"


def home_message(standings: list[Standing], timezone: str, cadence: str, paused: bool) -> Message:
    """A learner's dashboard (Slack App Home): next up with one button, progress, settings."""
    blocks: list[Any] = [Header("Next up")]
    current = next((s for s in standings if s.enrollment.status in UNDERWAY), None)
    if current is not None:
        blocks.append(Text(f"**{current.program.title}**\n{_next_up(current)}"))
        action = a.NEXT(a.EnrollmentArgs(enrollment=current.enrollment.id))
        blocks.append(Buttons((Button("Continue", action, "primary", "next"),)))
    else:
        browse = Button("Browse programs", a.CATALOG(), "primary", "catalog")
        blocks.append(
            Text("You are all caught up. Browse the catalog for another program.")
            if standings
            else Text("No lessons yet: pick a program to start.")
        )
        blocks.append(Buttons((browse,)))
    if standings:
        blocks.append(Divider())
        blocks.extend(b for b in progress_message(standings).blocks if not isinstance(b, Buttons))
    blocks.append(Divider())
    blocks.extend(settings_message(timezone, cadence, paused).blocks)
    return message(*blocks, fallback="Your learning at a glance")
