"""The peer-review buttons: a reviewer's decision, a calibration score, a portfolio submission."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.actions import ANYONE_WHO_SEES_IT, ActionType, arg


@dataclass(frozen=True, kw_only=True)
class DecisionArgs:
    """A decision on one version of a submission (the rubric form's values)."""

    submission: int = arg("s")
    version: int = arg("v", 0)


@dataclass(frozen=True, kw_only=True)
class CalibrationArgs:
    program: str = arg("p")
    question: str = arg("q")
    """`quiz/question`."""
    anchor: str = arg("a")


@dataclass(frozen=True, kw_only=True)
class SubmitArgs:
    """A revision of `submission`, or a first submission for the portfolio question of an
    enrollment's quiz run."""

    submission: int | None = arg("s", None)
    enrollment: int | None = arg("e", None)
    question: str = arg("q", "")
    run: int = arg("r", 0)


DECIDE = ActionType("review-decide", DecisionArgs, who=ANYONE_WHO_SEES_IT, aliases=("peer-decide",))
"""On the review thread in a shared channel too: the handler checks the presser is assigned."""
CALIBRATE = ActionType("review-calibrate", CalibrationArgs, aliases=("peer-calibrate",))
SUBMIT = ActionType("portfolio-submit", SubmitArgs)
