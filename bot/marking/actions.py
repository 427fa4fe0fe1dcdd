"""The marking buttons: open an answer waiting for a human, confirm its score, or score it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.actions import ActionType, Role, Who, arg

COMMAND = "marking"
OLD_COMMAND = "reviews"
"""What the command was called before peer review took the word `review`; still understood."""
MARKERS = Who(role=Role.REVIEWER)


@dataclass(frozen=True, kw_only=True)
class AnswerRef:
    attempt: int = arg("a")


OPEN = ActionType("marking-open", AnswerRef, who=MARKERS, aliases=("review-open",))
CONFIRM = ActionType("marking-confirm", AnswerRef, who=MARKERS, aliases=("review-confirm",))
SCORE = ActionType("marking-score", AnswerRef, who=MARKERS, aliases=("review-score",))
"""Submits the rubric or points form; the levels, points and reason are its fields."""
