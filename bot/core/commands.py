"""Reading a command in text: `/learn next`, `next` in a DM, a line in the terminal."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

ALIASES = {
    "?": "help",
    "hi": "help",
    "hello": "help",
    "menu": "help",
    "programs": "catalog",
    "courses": "catalog",
    "list": "catalog",
    "enroll": "start",
    "enrol": "start",
    "continue": "next",
    "status": "progress",
    "stop": "pause",
}


@dataclass(frozen=True)
class Command:
    name: str
    arg: str = ""


def parse_command(text: str, known: Collection[str]) -> Command | None:
    """The command in `text`, or None when the text is not a command (e.g. an answer).

    `known` names the registered commands (the journey's `next`, features' `badges`, …).
    """
    words = text.strip().removeprefix("/learn").strip().lstrip("/").split(maxsplit=1)
    if not words:
        return None
    head = words[0].lower()
    name = ALIASES.get(head, head)
    if name not in known:
        return None
    arg = words[1].strip() if len(words) > 1 else ""
    if name in ("help", "catalog", "next", "progress") and arg:
        return None
    return Command(name, arg)
