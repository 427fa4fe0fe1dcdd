"""Shared pieces of the learner's screens."""

ANSWER_FIELD = "answer"


def points(value: float) -> str:
    """`1 point`, `2.5 points`."""
    return f"{value:g} point" + ("" if value == 1 else "s")
