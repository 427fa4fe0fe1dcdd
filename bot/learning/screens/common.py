"""Shared pieces of the learner's screens."""

from bot.core.copy import tn

ANSWER_FIELD = "answer"


def points(value: float) -> str:
    """`1 point`, `2.5 points` (in the learner's locale)."""
    return tn("common.points", 1 if value == 1 else 2, value=value)
