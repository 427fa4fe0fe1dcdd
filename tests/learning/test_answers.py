"""Answering: scored once and stored by option, refused when invalid, closed or gone."""

from __future__ import annotations

from pathlib import Path

from bot.content import load_library
from bot.core.views import Reply, say
from bot.learning import screens
from bot.learning.hooks import AttemptRecorded
from storage.db import Database
from storage.models import Attempt, QuizRun
from tests.driver import Learner, all_text, buttons
from tests.learning.desk import Desk, copy_mini, desk
from tests.learning.pool import question, write_pool


async def to_quiz(learner: Learner) -> None:
    for text in ("start mini", "next", "next"):
        await learner.say(text)


async def test_a_pressed_answer_replaces_the_question_and_a_typed_one_follows_it(
    mini_desk: Desk,
) -> None:
    ann = mini_desk.learner("ann")
    await to_quiz(ann)
    asked = len(ann.inbox) - 1
    pressed = await ann.click("B")
    assert pressed.replace_source is not None and buttons(ann.inbox[asked]) == []
    assert "**Your answer:** B. This one" in all_text(ann.inbox[asked])
    assert "✅ Correct: 1 of 1 point." in all_text(ann.inbox[asked])
    typed = await ann.say("a, c")
    assert typed.replace_source is None
    assert "**Your answer:** A. Yes, C. Yes too" in all_text(typed.messages[0])
    program = mini_desk.catalog.programs["mini"]
    rows = await mini_desk.rows(Attempt)
    assert [(a.question_id, a.response, a.points, a.try_no) for a in rows] == [
        ("pick", "b", 1.0, 1),
        ("many", ["a", "c"], 1.0, 1),
    ]
    assert rows[0].content_hash == program.question_hash("check", "pick")


async def test_an_answer_that_does_not_parse_is_refused_and_not_stored(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await to_quiz(ann)
    refused = await ann.say("maybe")
    assert "'maybe' is not one of the options: answer with A, B." in refused.refused
    assert await mini_desk.rows(Attempt) == []
    assert "✅ Correct" in ann.text(await ann.say("b"))  # the question is still open


async def test_long_typed_text_that_is_refused_is_given_back(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    for text in ("start mini", "next", "next", "b", "a, c", "true"):
        await ann.say(text)
    long = "about seventy-two, " * 20
    refused = ann.text(await ann.say(long))
    assert "Here is what you wrote:" in refused and "> about seventy-two, about" in refused
    assert "Here is what you wrote" not in ann.text(await ann.say("seventy"))  # short: not echoed


async def test_a_free_text_answer_waits_for_a_person(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    for text in ("start mini", "next", "next", "b", "a, c", "true", "72", "sbi"):
        await ann.say(text)
    received = ann.text(await ann.say("Situation, behaviour and impact, with an example."))
    assert "📝 Received. This answer will be scored against the rubric" in received
    essay = (await mini_desk.rows(Attempt, Attempt.question_id == "essay"))[0]
    assert (essay.status, essay.points) == ("pending", None)


async def test_subscribers_see_each_recorded_answer_and_add_to_the_reply(mini_desk: Desk) -> None:
    seen: list[tuple[str, float | None]] = []

    async def award(event: AttemptRecorded) -> Reply:
        seen.append((event.question.id, event.attempt.points))
        return say(f"+1 point for {event.question.id}")

    mini_desk.hooks.on(AttemptRecorded, award)
    ann = mini_desk.learner("ann")
    await to_quiz(ann)
    reply = ann.text(await ann.say("b"))
    assert "+1 point for pick" in reply and "Pick A and C." in reply  # then the next question
    assert seen == [("pick", 1.0)]
    await ann.say("b")  # the next question, answered wrong
    assert seen == [("pick", 1.0), ("many", 0.0)]


async def test_a_button_of_a_question_that_is_not_open_is_refused(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await to_quiz(ann)  # "pick" is open
    enrollment = await mini_desk.enrollment("ann")
    quiz = mini_desk.catalog.programs["mini"].quizzes["check"]
    later = screens.question_message(mini_desk.catalog.programs["mini"], quiz, 2, enrollment.id, 0)
    ann.inbox.append(later)  # a copy of a later question, as a stale message would show it
    reply = await ann.press(buttons(later)[0], len(ann.inbox) - 1)
    assert reply.private == ("That question has closed. Type `next` for your current step.",)
    assert await mini_desk.rows(Attempt) == []


async def test_a_button_of_a_question_removed_from_the_program_is_refused(
    tmp_path: Path, mini_desk: Desk
) -> None:
    ann = mini_desk.learner("ann")
    for text in ("start mini", "next", "next", "b", "a, c"):
        await ann.say(text)
    assert "The sky is blue." in all_text(ann.last)
    root = copy_mini(tmp_path / "lib")
    quiz = root / "quizzes" / "mini" / "check.yaml"
    text = quiz.read_text()
    start, end = text.index("  - id: truth"), text.index("  - id: number")
    quiz.write_text(text[:start] + text[end:])
    ann.router = desk(mini_desk.database, load_library(root)).router
    reply = await ann.click("True")
    assert reply.private == ("That question is no longer part of the program.",)
    assert len(await mini_desk.rows(Attempt)) == 2


async def test_a_button_of_a_question_this_run_did_not_draw_is_refused(
    tmp_path: Path, sqlite_database: Database
) -> None:
    body = "".join(question(n) for n in range(1, 7))
    catalog = load_library(
        write_pool(tmp_path, f"id: final\ntitle: Final\ndraw: 3\nquestions:\n{body}")
    )
    world = desk(sqlite_database, catalog)
    ann = world.learner("ann")
    for text in ("start pool", "next", "next"):
        await ann.say(text)
    [run] = await world.rows(QuizRun)
    program = catalog.programs["pool"]
    quiz = program.quizzes["final"]
    index = next(i for i, q in enumerate(quiz.questions) if q.id not in run.questions)
    enrollment = await world.enrollment("ann")
    undrawn = screens.question_message(program, quiz, index, enrollment.id, enrollment.quiz_run)
    ann.inbox.append(undrawn)
    reply = await ann.press(buttons(undrawn)[0], len(ann.inbox) - 1)
    assert reply.private == ("That question is not part of this run of the quiz.",)
    assert await world.rows(Attempt) == []
