"""Levels: names and point thresholds, and the message for reaching a new one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.views import Context, Header, Message, Text, message


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    threshold: int


LEVELS = (
    Level(1, "Newcomer", 0),
    Level(2, "Explorer", 100),
    Level(3, "Practitioner", 300),
    Level(4, "Specialist", 700),
    Level(5, "Expert", 1500),
    Level(6, "Master", 3000),
)
"""All-time points across programs decide the level."""


def level_for(points: int) -> Level:
    return [level for level in LEVELS if points >= level.threshold][-1]


def next_level(points: int) -> Level | None:
    return next((level for level in LEVELS if level.threshold > points), None)


def reached(before: int, after: int) -> Level | None:
    """The level reached by going from `before` to `after` points, if it is a new one."""
    old, new = level_for(before), level_for(after)
    return new if new.number > old.number else None


def level_up_message(level: Level, points: int) -> Message:
    """Private to the learner: the new level, and what the next one needs."""
    following = next_level(points)
    tail = (
        f"{following.threshold - points} more points to reach *{following.name}*."
        if following
        else "That is the highest level. Thank you for keeping at it."
    )
    return message(
        Header(f"Level {level.number}: {level.name}"),
        Text(f"🎉 You reached **{level.name}** with {points} points."),
        Context(f"{tail} Type `points` to see how points are earned."),
        fallback=f"Level up: you are now {level.name} ({points} points).",
        key=f"level:{level.number}",
    )
