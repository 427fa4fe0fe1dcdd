"""Features register commands and actions once: a second registration fails at start-up."""

from __future__ import annotations

import pytest

from bot.core.events import ActionInput
from bot.core.views import Reply
from bot.learning.hooks import Hooks
from bot.learning.turn import Turn


async def _answer(turn: Turn, arg: str) -> Reply:
    return Reply()


async def _press(turn: Turn, action: ActionInput) -> Reply:
    return Reply()


def test_a_command_or_action_registered_twice_fails() -> None:
    hooks = Hooks()
    hooks.command("points", _answer)
    hooks.action("recall", _press)
    with pytest.raises(ValueError, match="'points' is registered twice"):
        hooks.command("points", _answer)
    with pytest.raises(ValueError, match="'recall' is registered twice"):
        hooks.action("recall", _press)
    assert hooks.commands == {"points": _answer} and hooks.actions == {"recall": _press}
