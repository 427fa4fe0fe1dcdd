"""Spaced repetition: wrong answers come back in Leitner boxes (1, 3, 7, 14 days), in slots."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content import load_library
from bot.core.views import Message
from bot.delivery.repetition import BOXES
from storage.db import Database
from storage.models import RecallCard
from tests.delivery.conftest import FIXTURE
from tests.delivery.harness import FakeClock, World, build_world
from tests.driver import Learner, all_text, buttons


@pytest.fixture
async def practice(
    sqlite_database: Database, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[World]:
    """The mini program with its quiz as practice (outside the passing rules)."""
    root = tmp_path / "library"
    shutil.copytree(FIXTURE, root)
    program = root / "lessons" / "mini" / "program.yaml"
    program.write_text(program.read_text().replace("quizzes: all", "quizzes: []"))
    yield build_world(sqlite_database, load_library(root), clock)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour - 1, minute, tzinfo=UTC)


async def cards(world: World) -> list[RecallCard]:
    async with world.database.transaction() as session:
        return list(await session.scalars(select(RecallCard).order_by(RecallCard.id)))


async def answer_wrong_on_the_first_question(world: World) -> Learner:
    ann = world.learner("ann")
    for text in ("start mini", "next", "next"):
        await ann.say(text)
    await world.set_person("ann", timezone="Europe/Berlin")
    reply = await ann.say("a")  # "Pick B." answered A
    assert "Not quite" in ann.text(reply)
    await world.run()  # plans the first slot: Monday 09:30
    return ann


async def recall_in_inbox(world: World, learner: Learner) -> Message:
    """The newest review question the scheduler delivered, put where the learner can click."""
    reviews = [m for m in await world.inbox("ann") if "Quick review" in all_text(m)]
    assert reviews, "no review question was delivered"
    learner.inbox.append(reviews[-1])
    return reviews[-1]


async def test_a_wrong_answer_comes_back_in_growing_intervals(practice: World) -> None:
    world = practice
    ann = await answer_wrong_on_the_first_question(world)
    [card] = await cards(world)
    assert (card.quiz_id, card.question_id, card.box) == ("check", "pick", 1)
    assert card.due_at == world.clock.now() + timedelta(days=BOXES[0])
    await world.run(at(1, 9, 31))  # Monday's slot: the quiz step, no review yet
    assert not [t for t in await world.inbox_text("ann") if "Quick review" in t]
    await world.run(at(2, 9, 31))  # Tuesday: due, mixed into the slot
    review = await recall_in_inbox(world, ann)
    assert "Pick B." in all_text(review) and "Spaced review 1 of 4" in all_text(review)
    reply = await ann.click("B")
    assert reply.replace_source is not None
    shown = all_text(reply.replace_source)
    assert "✅ Correct" in shown and "Next review in 3 days" in shown
    assert buttons(reply.replace_source) == []
    again = await ann.press(buttons(review)[1], len(ann.inbox) - 1)
    assert again.private == ("Already recorded: each review question counts once.",)
    [card] = await cards(world)
    assert card.box == 2 and card.due_at == world.clock.now() + timedelta(days=3)


async def test_a_wrong_review_goes_back_to_box_one_and_box_four_retires(practice: World) -> None:
    world = practice
    ann = await answer_wrong_on_the_first_question(world)
    await world.run(at(2, 9, 31))
    await recall_in_inbox(world, ann)
    reply = await ann.click("A")
    assert reply.replace_source is not None
    assert "It comes back tomorrow" in all_text(reply.replace_source)
    [card] = await cards(world)
    assert card.box == 1
    async with world.database.transaction() as session:
        stored = await session.get(RecallCard, card.id)
        assert stored is not None
        stored.box = len(BOXES)
    await world.run(at(3, 9, 31))
    await recall_in_inbox(world, ann)
    reply = await ann.click("B")
    assert reply.replace_source is not None
    assert "You know this one now" in all_text(reply.replace_source)
    [card] = await cards(world)
    assert card.status == "retired"
    for day in (4, 5, 8):
        await world.run(at(day, 9, 31))
    reviews = [t for t in await world.inbox_text("ann") if "Quick review" in t]
    assert len(reviews) == 2


async def test_an_ignored_review_comes_back_and_only_a_few_per_slot(practice: World) -> None:
    world = practice
    ann = await answer_wrong_on_the_first_question(world)
    for wrong in ("b", "false", "1"):  # many: wrong; truth: wrong; number: wrong
        await ann.say(wrong)
    assert len(await cards(world)) == 4
    await world.run(at(2, 9, 31))
    texts = await world.inbox_text("ann")
    assert sum("Quick review" in t for t in texts) == world.delivery.options.recalls_per_slot
    await world.run(at(3, 9, 31))
    assert sum("Quick review" in t for t in await world.inbox_text("ann")) == 4


async def test_no_reviews_while_paused(practice: World) -> None:
    world = practice
    ann = await answer_wrong_on_the_first_question(world)
    await ann.say("pause")
    await world.run(at(2, 9, 31))
    assert await world.inbox("ann") == []


async def test_a_graded_question_comes_back_only_once_the_quiz_is_settled(world: World) -> None:
    """Review never answers a question the learner may still be assessed on."""
    await answer_wrong_on_the_first_question(world)
    assert await cards(world) == []
