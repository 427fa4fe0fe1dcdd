"""Shared pieces of the learner's screens."""

from bot.core.copy import tn

ANSWER_FIELD = "answer"


def points(value: float) -> str:
    """`1 point`, `2.5 points` (in the learner's locale)."""
    return tn("common.points", 1 if value == 1 else 2, value=value)


def out_of(value: float) -> str:
    """The maximum in "2 of `5 points`" (German needs another case there: "von 5 Punkten")."""
    return tn("common.out_of", 1 if value == 1 else 2, value=value)
