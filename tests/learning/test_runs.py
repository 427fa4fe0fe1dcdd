"""Runs of a quiz: shuffled options that stay put, draws from a pool, honest retakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.application import Application
from bot.content import Catalog, load_library
from bot.settings import Settings
from storage.models import Attempt, QuizRun
from tests.driver import Learner, all_text, buttons, shown_letters
from tests.learning.pool import question, write_pool

Build = Callable[..., Application]
PINNED = """\
  - id: scale
    type: single_choice
    always: true
    shuffle: false
    prompt: How sure are you?
    options:
      - {id: low, text: Not sure}
      - {id: mid, text: Fairly sure, correct: true}
      - {id: high, text: Very sure}
"""


def write(root: Path, extra: str) -> Catalog:
    body = "".join(question(n) for n in range(1, 7)) + PINNED
    quiz = f"id: final\ntitle: Final\npass_mark: 100\ndraw: 3\n{extra}questions:\n{body}"
    return load_library(write_pool(root, quiz))


@pytest.fixture
def make(sqlite_url: str, tmp_path: Path) -> Iterator[Build]:
    made: list[Application] = []

    def build(extra: str = "") -> Application:
        catalog = write(tmp_path / f"lib{len(made)}", extra) if not made else made[0].catalog
        services = Application.build(Settings(database_url=sqlite_url), catalog=catalog)
        made.append(services)
        return services

    yield build


async def runs(services: Application) -> list[QuizRun]:
    async with services.database.transaction() as session:
        return list(await session.scalars(select(QuizRun).order_by(QuizRun.id)))


def shown_question(learner: Learner) -> str:
    assert learner.last.key, all_text(learner.last)
    return learner.last.key.rsplit(":", 1)[-1]


async def to_quiz(learner: Learner) -> None:
    for text in ("start pool", "next", "next"):
        await learner.say(text)


async def answer_all(learner: Learner, right: bool) -> str:
    """Answer the open questions (option o2 and `mid` are right); the last reply's text."""
    text = ""
    for _ in range(10):
        if "(Question" not in text and not learner.last.key:
            break
        key = shown_question(learner)
        letters = shown_letters(learner.last)
        wanted = (
            ("mid" if key == "scale" else "o2") if right else ("low" if key == "scale" else "o0")
        )
        text = learner.text(await learner.say(letters[wanted]))
        if ": result" in text:
            return text
    return text


async def test_options_are_shuffled_and_stay_put_across_re_renders_and_restarts(
    make: Build,
) -> None:
    first = make()
    orders = []
    for name in ("ann", "bob", "cy", "dee", "eve", "fay"):
        learner = Learner(first.router, name)
        await to_quiz(learner)
        before = shown_letters(learner.last)
        await learner.say("next")  # shows the open question again
        assert shown_letters(learner.last) == before
        orders.append(tuple(sorted(before, key=before.__getitem__)))
    assert len(set(orders)) > 1  # not everyone sees the written order
    await first.stop()
    again = make()  # a restart: the seed was recorded with the run
    ann = Learner(again.router, "ann")
    await ann.say("next")
    assert (
        tuple(sorted(shown_letters(ann.last), key=shown_letters(ann.last).__getitem__)) == orders[0]
    )
    await again.stop()


async def test_a_pinned_question_keeps_its_order_and_is_asked_every_run(make: Build) -> None:
    services = make()
    ann = Learner(services.router, "ann")
    await to_quiz(ann)
    [run] = await runs(services)
    assert len(run.questions) == 4 and "scale" in run.questions  # three drawn and the pinned one
    await answer_all(ann, right=True)
    async with services.database.transaction() as session:
        responses = set(await session.scalars(select(Attempt.response)))
    assert responses == {"o2", "mid"}  # stored by option id, never by letter
    await services.stop()


async def test_a_retake_draws_other_questions_and_withholds_answers(make: Build) -> None:
    services = make()
    ann = Learner(services.router, "ann")
    await to_quiz(ann)
    result = await answer_all(ann, right=False)
    assert "Not yet" in result and "Missed this time" in result and "Revisit" not in result
    assert "Option 2 of" not in result  # the answers are not shown while runs remain
    retake = ann.text(await ann.click("Retake quiz"))
    assert "Question 1 of 4" in retake
    first, second = await runs(services)
    drawn = lambda run: set(run.questions) - {"scale"}  # noqa: E731
    assert drawn(first).isdisjoint(drawn(second))  # a pool twice the draw: all new
    await services.stop()


async def test_the_last_run_shows_the_answers_and_no_more_retakes(make: Build) -> None:
    services = make("retakes: 1\n")
    ann = Learner(services.router, "ann")
    await to_quiz(ann)
    await answer_all(ann, right=False)
    await ann.click("Retake quiz")
    result = await answer_all(ann, right=False)
    assert "What you missed" in result and "Option 2 of" in result.split("What you missed")[1]
    assert "used every run" in result and "No run is left of Final" in result
    assert "Retake" not in [b.label for b in buttons(ann.last)]
    refused = ann.text(await ann.say("retake final"))
    assert "You have used every run of **Final** (2)" in refused
    await services.stop()


async def test_a_retake_waits_for_its_cool_down(make: Build) -> None:
    services = make("retake_cooldown: 2h\n")
    ann = Learner(services.router, "ann")
    await to_quiz(ann)
    result = await answer_all(ann, right=False)
    assert "the next run opens" in result
    refused = ann.text(await ann.say("retake final"))
    assert "You can retake **Final** in about 2 hours" in refused
    assert len(await runs(services)) == 1
    await services.stop()
