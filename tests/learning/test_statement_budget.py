"""The answer path's statement budget: a mid-quiz choice answer, everything included."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.application import Application
from bot.core.events import ActionInput, Inbound
from bot.learning.actions import ANSWER
from bot.settings import Settings
from tests.driver import Learner, buttons
from tests.learning.desk import PASSING

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"
BUDGET = 10
"""Statements for one answer with every feature subscribed: the de-duplication claim, the
learner (with enrollments, cohort, streak, teams), the run, its attempts, the attempt, its
score record, the streak, the points ledger and totals, the cursor."""


@pytest.fixture
async def app(sqlite_url: str) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=sqlite_url, content_dir=FIXTURE))
    yield built
    await built.stop()


def _choice(learner: Learner) -> tuple[int, Any] | None:
    """The newest message's option button (a choice question is open), if any."""
    index = len(learner.inbox) - 1
    for button in buttons(learner.inbox[index]):
        if button.action.name == ANSWER.name and ANSWER.decode(button.action).value:
            return index, button
    return None


async def _to_a_choice(learner: Learner, *, answered: int) -> tuple[int, Any]:
    """Click on until a choice question is open, after `answered` answers."""
    for _ in range(30):
        found = _choice(learner)
        if found is not None and answered == 0:
            return found
        if found is not None:
            await learner.press(found[1], found[0])
            answered -= 1
        elif shown := buttons(learner.inbox[-1]):
            await learner.click(shown[0].label)
        else:  # a question answered in a form: type one of the right answers
            for typed in PASSING:
                if not (await learner.say(typed)).refused:
                    break
    raise AssertionError("no choice question came up")


async def test_a_mid_quiz_choice_answer_stays_within_its_statement_budget(
    app: Application,
) -> None:
    ann = Learner(app.router, "ann")
    await ann.say("start mini")
    index, button = await _to_a_choice(ann, answered=1)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split("\n", 1)[0][:100])

    event.listen(app.database.engine.sync_engine, "before_cursor_execute", count)
    try:
        inbound = Inbound(ann.actor, ActionInput(button.action), event_id="click-42")
        reply = await ann._send(inbound, index)
    finally:
        event.remove(app.database.engine.sync_engine, "before_cursor_execute", count)

    assert reply.replace_source is not None  # the answer was recorded and shown in place
    assert len(statements) <= BUDGET, "\n".join(statements)
    assert not any("SAVEPOINT" in s for s in statements)
    assert sum(s.startswith("SELECT quiz_runs") for s in statements) <= 1
    assert sum(s.startswith("SELECT attempts") for s in statements) <= 1
