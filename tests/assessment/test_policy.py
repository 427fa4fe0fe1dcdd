"""The attempts policy in the journey: tries, cool-down, when the answer is shown, pass marks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.application import Application
from bot.content import Catalog
from bot.settings import Settings
from storage.models import Attempt
from tests.assessment import library
from tests.driver import Learner, all_text

Build = Callable[..., AsyncIterator[Application]]


@pytest.fixture
def make(sqlite_url: str, tmp_path: Path) -> Callable[..., Application]:
    made: list[Application] = []

    def build(**policy: object) -> Application:
        catalog: Catalog = library.write(tmp_path / f"lib{len(made)}", **policy)  # type: ignore[arg-type]
        services = Application.build(Settings(database_url=sqlite_url), catalog=catalog)
        made.append(services)
        return services

    return build


@pytest.fixture(autouse=True)
async def _close(make: Callable[..., Application]) -> AsyncIterator[None]:
    yield


async def to_question(learner: Learner) -> str:
    for text in ("start essay", "next"):
        await learner.say(text)
    return all_text(learner.last)


async def test_a_wrong_answer_can_be_tried_again(make: Callable[..., Application]) -> None:
    services = make(tries=2)
    ann = Learner(services.router, "ann")
    assert "Try 1 of 2" in await to_question(ann)
    first = ann.text(await ann.say("effect"))
    assert "❌ Not quite." in first and "The answer is" not in first  # not shown yet
    assert "1 more try" in first and "Try 2 of 2" in first
    second = ann.text(await ann.say("impact"))
    assert "✅ Correct" in second and "Why are parameterised queries" in second
    async with services.database.transaction() as session:
        rows = list(await session.scalars(select(Attempt).order_by(Attempt.id)))
    assert [(a.try_no, a.status) for a in rows] == [(1, "superseded"), (2, "scored")]
    await services.stop()


async def test_the_last_try_shows_the_answer_and_keep_moves_on(
    make: Callable[..., Application],
) -> None:
    services = make(tries=3)
    ann = Learner(services.router, "ann")
    await to_question(ann)
    await ann.say("effect")
    kept = ann.text(await ann.click("Keep this answer"))
    assert "Kept: your answer stands." in kept and "Why are parameterised queries" in kept
    await services.stop()
    bob_services = make(tries=2, graded=False)  # practice: the answer follows the last try
    bob = Learner(bob_services.router, "bob")
    await to_question(bob)
    await bob.say("effect")
    last = bob.text(await bob.say("outcome"))
    assert "❌ Not quite. The answer is: **impact**" in last
    await bob_services.stop()


async def test_a_graded_quiz_withholds_answers_until_no_run_is_left(
    make: Callable[..., Application],
) -> None:
    services = make(tries=2)
    cy = Learner(services.router, "cy")
    await to_question(cy)
    await cy.say("effect")
    last = cy.text(await cy.say("outcome"))
    assert "❌ Not quite." in last and "impact" not in last  # runs remain: no answer
    result = cy.text(await cy.say("I am not sure what to write about this question at all."))
    assert "Not yet" in result and "Missed this time" in result
    assert "What does the I in SBI stand for?" in result and "impact" not in result
    assert "Revisit:" in result or "retake" in result.lower()
    await services.stop()


async def test_a_cool_down_keeps_what_the_learner_wrote(make: Callable[..., Application]) -> None:
    services = make(tries=2, cooldown="10m")
    ann = Learner(services.router, "ann")
    await to_question(ann)
    first = ann.text(await ann.say("effect"))
    assert "you can answer again in 10 minutes" in first
    early = ann.text(await ann.say("impact"))
    assert "You can try this question again in 10 minutes" in early
    async with services.database.transaction() as session:
        rows = list(await session.scalars(select(Attempt)))
    assert len(rows) == 1
    await services.stop()
