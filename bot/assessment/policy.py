"""The attempts policy of a question: tries, cool-down, and when the answer is shown."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.assessment.score import Score
from bot.content import Program
from bot.content.schema import Question, Quiz
from bot.core.errors import CannotProceed
from storage.models import Attempt


def retry_after(question: Question, try_no: int, score: Score, now: datetime) -> datetime | None:
    """When the learner may try again, or None when this answer is final."""
    if score.pending or score.correct or try_no >= question.max_attempts:
        return None
    return now + timedelta(seconds=question.cooldown_seconds)


def graded(program: Program, quiz: Quiz) -> bool:
    """A quiz the program's passing rules count: its answers are withheld while runs remain."""
    return quiz.id in program.required_quizzes()


def runs_left(quiz: Quiz, number: int) -> int | None:
    """Retakes still open after run `number` (1 = the first run); None: no limit."""
    return None if quiz.retakes is None else max(0, quiz.retakes - (number - 1))


def reveal(question: Question, final: bool, *, withheld: bool = False) -> bool:
    """Whether the answered message shows the correct answer and the explanation.

    `withheld` (a graded quiz with runs left) wins over the question's `show_answer`.
    """
    if withheld or question.show_answer == "never":
        return False
    return question.show_answer == "always" or final


def when(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((moment - now).total_seconds()))
    if seconds < 90:
        return f"in {max(seconds, 1)} seconds"
    if seconds < 90 * 60:
        return f"in {round(seconds / 60)} minutes"
    return f"in about {round(seconds / 3600)} hours ({moment:%Y-%m-%d %H:%M} UTC)"


def tries_note(question: Question, attempt: Attempt, now: datetime) -> str:
    """What a learner with tries left can do next."""
    if attempt.retry_after is None:
        return ""
    left = question.max_attempts - attempt.try_no
    tries = f"{left} more {'try' if left == 1 else 'tries'}"
    if attempt.retry_after > now:
        return (
            f"🔁 You have {tries}: you can answer again {when(attempt.retry_after, now)}, "
            "or keep this answer and go on."
        )
    return f"🔁 You have {tries}: answer again below, or keep this answer and go on."


def tries_context(question: Question, previous: Attempt | None) -> str:
    """The stakes, shown under a question: which try this is."""
    if question.max_attempts == 1:
        return ""
    number = previous.try_no + 1 if previous is not None else 1
    return f"Try {number} of {question.max_attempts}"


def check_cooldown(previous: Attempt | None, now: datetime) -> None:
    """Refuse a new try during the cool-down after the previous one."""
    if previous is not None and previous.retry_after is not None and previous.retry_after > now:
        raise CannotProceed(
            f"You can try this question again {when(previous.retry_after, now)}. "
            "Until then your last answer stands; type `keep-answer` to keep it and go on."
        )
