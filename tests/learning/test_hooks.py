"""Features register commands and actions once: a second registration fails at start-up."""

from __future__ import annotations

import pytest

from bot.application import Application
from bot.core.actions import ActionType, NoArgs
from bot.core.events import ActionInput
from bot.core.views import Reply
from bot.learning.hooks import Hooks
from bot.learning.turn import Turn
from bot.settings import Settings

RECALL = ActionType("recall-answer", NoArgs, aliases=("recall",))


async def _answer(turn: Turn, arg: str) -> Reply:
    return Reply()


async def _press(turn: Turn, args: NoArgs, action: ActionInput) -> Reply:
    return Reply()


def test_a_command_or_action_registered_twice_fails() -> None:
    hooks = Hooks()
    hooks.command("points", _answer, aliases=("score",))
    hooks.action(RECALL, _press)
    with pytest.raises(ValueError, match="'points' is registered twice"):
        hooks.command("points", _answer)
    with pytest.raises(ValueError, match="'score' is registered twice"):
        hooks.command("tally", _answer, aliases=("score",))
    with pytest.raises(ValueError, match="'recall-answer' is registered twice"):
        hooks.action(RECALL, _press)
    with pytest.raises(ValueError, match="'recall' is registered twice"):
        hooks.action(ActionType("recall", NoArgs), _press)
    assert set(hooks.commands) == {"points", "score"}
    assert [kind.name for kind in hooks.actions.kinds()] == ["recall-answer"]


def test_the_built_application_names_every_command_and_action_once(tmp_path) -> None:
    """Journey and features share one registry; building the bot proves there is no clash."""
    app = Application.build(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db"))
    names = [kind.name for kind in app.hooks.actions.kinds()]
    assert len(names) == len(set(names))
    assert {"answer", "next", "keep-answer", "badges-email", "review-decide"} <= set(names)
    commands = set(app.hooks.commands)
    assert {"next", "badges", "marking", "reviews", "review", "challenge"} <= commands
