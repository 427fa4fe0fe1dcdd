"""The journey's buttons: each a typed payload, encoded and decoded by its `ActionType`.

Wire keys are the one-letter keys of buttons already posted, so those keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.actions import ActionType, NoArgs, arg


@dataclass(frozen=True, kw_only=True)
class AnswerArgs:
    """An answer to the open question of an enrollment's quiz run."""

    enrollment: int = arg("e")
    question: str = arg("q")
    """`quiz/question`."""
    run: int = arg("r", 0)
    value: str = arg("v", "")
    """The option a button stands for ('' when the answer is in the form's field)."""


@dataclass(frozen=True, kw_only=True)
class PageArgs:
    enrollment: int = arg("e")
    step: str = arg("s")
    page: int = arg("p", 0)


@dataclass(frozen=True, kw_only=True)
class StepArgs:
    enrollment: int = arg("e")
    step: str = arg("s")


@dataclass(frozen=True, kw_only=True)
class ProgramArgs:
    program: str = arg("program")


@dataclass(frozen=True, kw_only=True)
class RetakeArgs:
    enrollment: int | None = arg("e", None)
    quiz: str = arg("quiz")


@dataclass(frozen=True, kw_only=True)
class EnrollmentArgs:
    enrollment: int | None = arg("e", None)
    """None: the learner's current enrollment."""


ANSWER = ActionType("answer", AnswerArgs)
PAGE = ActionType("page", PageArgs)
CONTINUE = ActionType("continue", StepArgs)
START = ActionType("start", ProgramArgs)
RETAKE = ActionType("retake", RetakeArgs)
NEXT = ActionType("next", EnrollmentArgs)
SETTINGS = ActionType("settings", NoArgs)
"""Submits the settings form; the values are the form's fields."""
HELP = ActionType("help", NoArgs)
CATALOG = ActionType("catalog", NoArgs)
PROGRESS = ActionType("progress", NoArgs)
PAUSE = ActionType("pause", NoArgs)
RESUME = ActionType("resume", NoArgs)
KEEP = ActionType("keep-answer", EnrollmentArgs)
"""Make the latest try at the open question final (the `keep-answer` command)."""
HOME = ActionType("home", NoArgs)
"""The learner's dashboard (Slack App Home)."""
