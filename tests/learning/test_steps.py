"""Moving through a program: pages, finished steps, edited programs and the program's end."""

from __future__ import annotations

from pathlib import Path

from bot.content import load_library
from bot.core.views import Reply, say
from bot.learning.hooks import ProgramCompleted, StepFinished
from storage.db import Database
from storage.models import Enrollment, StepProgress
from tests.driver import all_text, buttons
from tests.learning.desk import PASSING, Desk, copy_mini, desk


async def test_next_turns_the_pages_then_finishes_the_lesson_and_asks_the_first_question(
    mini_desk: Desk,
) -> None:
    finished: list[tuple[str, str]] = []

    async def record(event: StepFinished) -> None:
        finished.append((event.step_key, event.status))

    mini_desk.hooks.on(StepFinished, record)
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    assert "page 1 of 2" in all_text(ann.last)
    second = ann.text(await ann.say("next"))
    assert "The second page." in second and "Introduction (continued)" in second
    assert [b.label for b in buttons(ann.last)] == ["Continue"]
    assert finished == []
    question = ann.text(await ann.say("next"))
    assert "Pick B." in question and "Question 1 of 6" in question
    assert finished == [("lesson:intro", "done")]
    lesson = mini_desk.catalog.programs["mini"].lessons["intro"]
    [done] = await mini_desk.rows(StepProgress)
    assert (done.step_key, done.status, done.content_hash) == ("lesson:intro", "done", lesson.hash)
    again = ann.text(await ann.say("next"))  # a question is answered, not skipped
    assert "Pick B." in again and len(await mini_desk.rows(StepProgress)) == 1


async def test_a_step_removed_from_the_program_moves_the_learner_to_the_first_open_step(
    tmp_path: Path, mini_desk: Desk
) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")  # reading the lesson's first page
    root = copy_mini(tmp_path / "lib")
    program = root / "lessons" / "mini" / "program.yaml"
    program.write_text(program.read_text().replace("  - lesson: intro\n", ""))
    (root / "lessons" / "mini" / "intro.md").unlink()
    edited = desk(mini_desk.database, load_library(root))
    ann.router = edited.router
    reply = ann.text(await ann.say("next"))
    assert "Pick B." in reply and "Question 1 of 6" in reply
    assert (await mini_desk.enrollment("ann")).cursor_step == "quiz:check"


async def test_the_program_completes_once_and_its_subscribers_add_to_the_reply(
    exact_desk: Desk,
) -> None:
    completed: list[int] = []

    async def congratulate(event: ProgramCompleted) -> Reply:
        completed.append(event.enrollment.id)
        return say(f"Badge for {event.person.display_name} on its way.")

    exact_desk.hooks.on(ProgramCompleted, congratulate)
    ann = exact_desk.learner("ann")
    for text in ("start mini", "next", "next", *PASSING[:-1]):
        await ann.say(text)
    last = ann.text(await ann.say(PASSING[-1]))
    assert "✅ Passed: 5 of 5 points (100 %)" in last
    assert "🎓 You completed **Mini program**" in last and "Badge for Ann on its way." in last
    enrollment = await exact_desk.enrollment("ann")
    assert (enrollment.status, enrollment.cursor_step) == ("completed", None)
    assert enrollment.completed_at == enrollment.finished_at == exact_desk.clock.now()
    again = ann.text(await ann.say("next"))
    assert "🎓 You completed **Mini program**" in again and "Badge for" not in again
    assert completed == [enrollment.id]


async def test_a_failed_quiz_finishes_the_program_without_completing_it(exact_desk: Desk) -> None:
    ann = exact_desk.learner("ann")
    for text in ("start mini", "next", "next", "a", "b", "false", "1"):
        await ann.say(text)
    last = ann.text(await ann.say("nope"))
    assert "Not yet: 0 of 5 points (0 %); the pass mark is 60 %" in last
    assert "Every step done" in last and "To earn the credential, pass: Check." in last
    assert "Retake Check" in [b.label for b in buttons(ann.last)]
    enrollment = await exact_desk.enrollment("ann")
    assert (enrollment.status, enrollment.completed_at) == ("finished", None)
    again = ann.text(await ann.say("next"))
    assert "Every step done" in again and "Not yet" not in again  # the result is not re-recorded
    [outcome] = await exact_desk.rows(StepProgress, StepProgress.step_key == "quiz:check")
    assert outcome.status == "failed"


async def test_a_failed_run_names_the_lessons_that_teach_what_was_missed(
    tmp_path: Path, sqlite_database: Database
) -> None:
    root = copy_mini(tmp_path / "lib", essay=False)
    quiz = root / "quizzes" / "mini" / "check.yaml"
    quiz.write_text(
        quiz.read_text().replace("  - id: pick\n", "  - id: pick\n    skills: [basics]\n")
    )
    world = desk(sqlite_database, load_library(root))
    ann = world.learner("ann")
    for text in ("start mini", "next", "next", "a", "b", "false", "1"):
        await ann.say(text)
    result = ann.text(await ann.say("nope"))
    assert "**Missed this time**" in result and "❌ Pick B." in result
    assert "Revisit: *Introduction*." in result
    assert "This one" not in result  # a graded quiz with runs left keeps its answers
    enrollment = (await world.rows(Enrollment))[0]
    assert enrollment.status == "finished"
