"""The points rules: one documented, configurable table of what earns how many points."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from bot.core.errors import BadRequest


@dataclass(frozen=True)
class Rule:
    key: str
    points: int
    earned_for: str


@dataclass(frozen=True)
class PointsRules:
    """Points per reason, and the per-day caps challenges count within.

    Every award is stored once in the ledger under an idempotency key, so these numbers
    apply to what is earned from now on; changing them never rescores history. Override
    any of them with `MICROCRED_POINTS`, e.g. `lesson=10,quiz=25,streak=2`.
    """

    lesson: int = 10
    """A lesson read to the end (once per lesson and enrollment)."""
    first_try: int = 5
    """A question answered correctly at the first try of the first run (retries earn none)."""
    quiz: int = 20
    """A quiz passed, scaled by its score: 20 at 100 %, 15 at 75 % (once per quiz)."""
    rubric: int = 10
    """An answer scored against a rubric (free text, portfolio), scaled by its score."""
    streak: int = 3
    """A scheduled slot answered on time (before the next slot arrives)."""
    review: int = 15
    """A peer review given (awarded by peer review)."""
    badge: int = 50
    """A badge earned: the program completed (once per program)."""
    points_daily_cap: int = 60
    """Challenges scored by points count at most this many points a day per learner."""
    completions_daily_cap: int = 5
    """Challenges scored by completions count at most this many steps a day."""
    mastery_daily_cap: int = 10
    """Challenges scored by mastery count at most this many answers' quality a day."""

    def table(self) -> list[Rule]:
        """The rules as rows (for `/learn points` and the docs)."""
        return [
            Rule(f.name, getattr(self, f.name), _DOCS[f.name])
            for f in fields(self)
            if not f.name.endswith("_cap")
        ]

    def daily_cap(self, scoring: str) -> int:
        return int(getattr(self, f"{scoring}_daily_cap"))

    @classmethod
    def parse(cls, text: str) -> PointsRules:
        """`lesson=10,quiz=25`: the defaults with some rows changed (BadRequest says why not)."""
        rules = cls()
        known = {f.name for f in fields(cls)}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in known:
                raise BadRequest(f"'{name}' is not a points rule; the rules are {sorted(known)}")
            try:
                number = int(value)
            except ValueError:
                raise BadRequest(
                    f"points rule '{name}' needs a whole number, not '{value}'"
                ) from None
            if number < 0:
                raise BadRequest(f"points rule '{name}' cannot be negative")
            rules = replace(rules, **{name: number})
        return rules


_DOCS = {
    "lesson": "a lesson read to the end",
    "first_try": "a correct answer at the first try (retries earn none)",
    "quiz": "a quiz passed, scaled by its score",
    "rubric": "an answer scored against a rubric, scaled by its score",
    "streak": "a scheduled lesson slot answered on time",
    "review": "a peer review given",
    "badge": "a badge earned",
}


def scaled(points: int, fraction: float) -> int:
    """`points` scaled by a score fraction, rounded half up, within 0..points."""
    return max(0, min(points, int(points * max(0.0, fraction) + 0.5)))
