"""Text commands every channel understands: `/learn next`, `next` in a DM, a terminal line."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

COMMANDS = (
    "help",
    "catalog",
    "start",
    "next",
    "progress",
    "pause",
    "resume",
    "settings",
    "retake",
)
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


def parse_command(text: str, extra: Collection[str] = ()) -> Command | None:
    """The command in `text`, or None when the text is not a command (e.g. an answer).

    `extra` names commands that features add (e.g. `badges`, `leaderboard`).
    """
    words = text.strip().removeprefix("/learn").strip().lstrip("/").split(maxsplit=1)
    if not words:
        return None
    head = words[0].lower()
    name = ALIASES.get(head, head)
    if name not in COMMANDS and name not in extra:
        return None
    arg = words[1].strip() if len(words) > 1 else ""
    if name in ("help", "catalog", "next", "progress") and arg:
        return None
    return Command(name, arg)
