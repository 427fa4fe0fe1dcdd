"""The learner journey through the engine, as any channel drives it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.application import Application
from bot.content import Catalog, load_library
from bot.content.schema import Portfolio
from bot.settings import Settings
from storage.models import Attempt, Enrollment, Person, QuizRun
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.driver import Learner, all_text, buttons, correct_answer, wrong_answer

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


@pytest.fixture
def mini() -> Catalog:
    return load_library(FIXTURE)


@pytest.fixture
async def services(db_url: str, catalog: Catalog) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=db_url), catalog=catalog)
    yield built
    await built.stop()


@pytest.fixture
async def mini_services(sqlite_url: str, mini: Catalog) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=sqlite_url), catalog=mini)
    yield built
    await built.stop()


async def attempts(services: Application) -> list[Attempt]:
    async with services.database.transaction() as s:
        return list(await s.scalars(select(Attempt).order_by(Attempt.id)))


async def enrollment(services: Application) -> Enrollment:
    async with services.database.transaction() as s:
        found = await s.scalar(select(Enrollment))
        assert found is not None
        return found


async def work_through(learner: Learner, catalog: Catalog, program_id: str) -> None:
    """Take a whole program: page through lessons, answer every question correctly."""
    program = catalog.programs[program_id]
    await learner.say(f"start {program_id}")
    for _ in range(200):
        last = learner.last
        text = all_text(last)
        labels = [b.label for b in buttons(last)]
        if "Program complete" in text or "Every step done" in text:
            return
        if "Next page" in labels:
            await learner.click("Next page")
        elif "Continue" in labels:
            await learner.click("Continue")
        elif key := last.key:
            _, _, quiz_id, _, question_id = key.split(":")
            question = program.question(quiz_id, question_id)
            assert question is not None
            await learner.say(correct_answer(question, last))
        else:
            raise AssertionError(f"stuck at: {text[:300]}")
    raise AssertionError("the program never ended")


@pytest.mark.parametrize("program_id", ["secure-coding", "effective-feedback", "data-privacy"])
async def test_a_bundled_program_can_be_worked_through(
    services: Application, catalog: Catalog, program_id: str
) -> None:
    learner = Learner(services.router, "ann")
    await work_through(learner, catalog, program_id)
    text = all_text(learner.last)
    assert "Every step done" in text
    assert "Awaiting review" in text  # the portfolio waits for its reviewers
    rows = await attempts(services)
    program = catalog.programs[program_id]
    async with services.database.transaction() as session:
        runs = list(await session.scalars(select(QuizRun)))
    assert {r.quiz_id for r in runs} == set(program.quizzes)  # one run of each quiz
    assert len(rows) == sum(len(r.questions) for r in runs)  # every drawn question answered
    scored = [a for a in rows if a.status == "scored"]
    assert scored and all(a.correct for a in scored)
    free_text = [a for a in rows if a.scorer == "offline"]
    assert len(free_text) == 1 and free_text[0].status == "scored"  # scored against its rubric
    assert free_text[0].points == free_text[0].max_points and free_text[0].scoring["levels"]
    waiting = [a for a in rows if a.status == "pending"]
    assert [a.scorer for a in waiting] == ["pending-review"]  # only the portfolio
    assert all(a.content_hash == program.question_hash(a.quiz_id, a.question_id) for a in rows)
    progress = learner.text(await learner.say("progress"))
    assert f"{len(program.steps)} of {len(program.steps)} steps" in progress
    async with services.database.transaction() as session:  # a reviewer scores the portfolio
        person = await ensure_person(session, identity="local:rita", display_name="Rita")
        await grant_role(session, person=person, role="reviewer")
    rita = Learner(services.router, "rita")
    await rita.say(f"reviews {waiting[0].id}")
    portfolio = program.question(waiting[0].quiz_id, waiting[0].question_id)
    assert isinstance(portfolio, Portfolio)
    top = {f"level-{c.id}": c.levels[-1].id for c in portfolio.rubric.criteria}
    saved = rita.text(await rita.click("Save score", top))
    assert "The quiz is now passed." in saved
    assert (await enrollment(services)).status == "completed"


async def test_lesson_pages_retire_their_buttons(mini_services: Application) -> None:
    learner = Learner(mini_services.router, "bo")
    await learner.say("start mini")
    first = len(learner.inbox) - 1
    next_page = buttons(learner.inbox[first])[0]
    assert "The first page." in all_text(learner.inbox[first])
    await learner.click("Next page")
    assert buttons(learner.inbox[first]) == []
    assert "The second page." in all_text(learner.last)
    second = len(learner.inbox) - 1
    reply = await learner.click("Continue")
    assert buttons(learner.inbox[second]) == []
    assert "Question 1 of 6" in learner.text(reply)  # Continue moved on to the quiz
    stale = await learner.press(next_page, first)
    assert stale.messages == () and stale.private == ("You have already turned that page.",)


async def test_answers_are_scored_once_with_feedback(
    mini_services: Application, mini: Catalog
) -> None:
    learner = Learner(mini_services.router, "cy")
    await learner.say("start mini")
    await learner.say("next")
    await learner.say("next")
    question_index = len(learner.inbox) - 1
    pick_b = next(b for b in buttons(learner.last) if b.label == "B")
    first = await learner.press(pick_b, question_index)
    assert "✅ Correct" in learner.text(first)
    assert buttons(learner.inbox[question_index]) == []  # the used prompt is retired
    again = await learner.press(pick_b, question_index)
    assert "Already recorded" in learner.text(again)
    assert not again.messages
    rows = await attempts(mini_services)
    assert [(a.question_id, a.points) for a in rows] == [("pick", 1.0)]


async def test_wrong_and_invalid_answers(mini_services: Application, mini: Catalog) -> None:
    learner = Learner(mini_services.router, "di")
    for text in ("start mini", "next", "next"):
        await learner.say(text)
    question = mini.programs["mini"].question("check", "pick")
    assert question is not None
    reply = await learner.say(wrong_answer(question, learner.last))
    said = learner.text(reply)
    assert "❌ Not quite." in said and "This one" not in said  # graded: the answer is withheld
    invalid = await learner.say("zz")  # now on the multiple-choice question
    assert "'zz' is not one of the options: answer with A, B, C." in learner.text(invalid)
    partly = await learner.say("a, b")
    assert "🟡 Partly right: 0.5 of 1 point" not in learner.text(partly)
    assert "❌ Not quite" in learner.text(partly)  # right minus wrong: 1 - 1 = 0
    assert "Reply true or false" in learner.text(partly)
    assert [a.points for a in await attempts(mini_services)] == [0.0, 0.0]


async def test_free_text_without_evidence_waits_and_overlong_text_is_kept(
    mini_services: Application,
) -> None:
    """The mini rubric names no key concepts and has no reference answer: a person scores it."""
    learner = Learner(mini_services.router, "ed")
    for text in ("start mini", "next", "next", "b", "a, c", "true", "72 hours", "sbi"):
        await learner.say(text)
    long_text = "My long answer. " * 200
    refused = learner.text(await learner.say(long_text))
    assert "the limit is 2,000" in refused and "> My long answer. My long answer." in refused
    done = learner.text(await learner.say("The situation, the behaviour and the impact."))
    assert "📝 Received" in done
    assert "awaiting review before this quiz counts" in done
    assert "Every step done" in done and "Awaiting review: Check" in done
    rows = await attempts(mini_services)
    assert [a.status for a in rows][-1] == "pending"
    assert (await enrollment(mini_services)).status == "finished"


async def test_failed_quiz_can_be_retaken(tmp_path: Path, sqlite_url: str) -> None:
    import shutil

    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    quiz = root / "quizzes" / "mini" / "check.yaml"
    quiz.write_text(quiz.read_text().split("  - id: essay")[0])
    services = Application.build(Settings(database_url=sqlite_url), catalog=load_library(root))
    try:
        learner = Learner(services.router, "fa")
        for text in ("start mini", "next", "next", "a", "b", "false", "1", "nope"):
            reply = await learner.say(text)
        assert "Not yet: 0 of 5 points (0 %); the pass mark is 60 %" in learner.text(reply)
        await learner.click("Retake quiz")
        for text in ("b", "a c", "true", "72", "Situation-Behavior-Impact"):
            reply = await learner.say(text)
        final = learner.text(reply)
        assert "✅ Passed: 5 of 5 points (100 %)" in final
        assert "You completed **Mini program**" in final
        assert (await enrollment(services)).status == "completed"
    finally:
        await services.stop()


async def test_pause_resume_and_settings(mini_services: Application) -> None:
    learner = Learner(mini_services.router, "gu")
    assert "Nothing to pause" in learner.text(await learner.say("pause"))
    await learner.say("start mini")
    assert "⏸ Paused Mini program" in learner.text(await learner.say("pause"))
    assert "⏸ paused" in learner.text(await learner.say("progress"))
    assert "▶️ Resumed Mini program" in learner.text(await learner.say("resume"))
    bad = learner.text(await learner.say("settings timezone Mars/Olympus"))
    assert "'Mars/Olympus' is not a time zone I know" in bad
    ok = learner.text(await learner.say("settings timezone Europe/Berlin"))
    assert "Saved: time zone Europe/Berlin" in ok
    await learner.click("Save settings", {"timezone": "Europe/Berlin", "cadence": "Mon, Wed 14:00"})
    assert "Saved: rhythm mon,wed 14:00" in all_text(learner.inbox[-2])
    async with mini_services.database.transaction() as s:
        person = await s.scalar(select(Person))
        assert person is not None
        assert (person.timezone, person.cadence) == ("Europe/Berlin", "mon,wed 14:00")


async def test_unknown_text_gets_help_and_catalog(services: Application) -> None:
    learner = Learner(services.router, "ha")
    reply = learner.text(await learner.say("what is this?"))
    assert "I didn't catch “what is this?”" in reply
    assert "Programs" in reply and "Secure coding essentials" in reply
    unknown = learner.text(await learner.say("start underwater-basket-weaving"))
    assert "I have no program called “underwater-basket-weaving”" in unknown


async def test_echoed_text_is_escaped(mini_services: Application) -> None:
    learner = Learner(mini_services.router, "ix")
    reply = learner.text(await learner.say("<!channel> [click](http://evil.example) **bold**"))
    assert "\\<\\!channel\\>" in reply and "\\[click\\]" in reply


async def test_buttons_of_other_people_are_refused(mini_services: Application) -> None:
    ann = Learner(mini_services.router, "ann")
    bob = Learner(mini_services.router, "bob")
    await ann.say("start mini")
    next_page = buttons(ann.last)[0]
    bob.inbox.append(ann.last)
    reply = await bob.press(next_page, 0)
    assert "belongs to someone else" in bob.text(reply)


async def test_retried_events_are_handled_once(mini_services: Application) -> None:
    learner = Learner(mini_services.router, "jo")
    first = await learner.say("start mini", event_id="Ev1")
    second = await learner.say("start mini", event_id="Ev1")
    assert first.messages and not second.messages and not second.private


async def test_editing_a_program_keeps_learners_in_flight(tmp_path: Path, sqlite_url: str) -> None:
    import shutil

    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    before = load_library(root)
    services = Application.build(Settings(database_url=sqlite_url), catalog=before)
    learner = Learner(services.router, "ka")
    for text in ("start mini", "next", "next", "b"):
        await learner.say(text)
    await services.stop()
    quiz = root / "quizzes" / "mini" / "check.yaml"
    quiz.write_text(quiz.read_text().replace("prompt: Pick A and C.", "prompt: Pick both yeses."))
    after = load_library(root)
    services = Application.build(Settings(database_url=sqlite_url), catalog=after)
    try:
        learner.router = services.router
        reply = learner.text(await learner.say("next"))
        assert "Pick both yeses." in reply
        await learner.say("a, c")
        rows = await attempts(services)
        assert rows[0].content_hash == before.programs["mini"].question_hash("check", "pick")
        assert rows[1].content_hash == after.programs["mini"].question_hash("check", "many")
        assert rows[1].content_hash != before.programs["mini"].question_hash("check", "many")
    finally:
        await services.stop()


async def test_concurrent_double_submit_records_one_attempt(db_url: str, mini: Catalog) -> None:
    import asyncio

    services = Application.build(Settings(database_url=db_url), catalog=mini)
    try:
        learner = Learner(services.router, "lu")
        for text in ("start mini", "next", "next"):
            await learner.say(text)
        index = len(learner.inbox) - 1
        pick_b = next(b for b in buttons(learner.last) if b.label == "B")
        await asyncio.gather(*(learner.press(pick_b, index) for _ in range(4)))
        async with services.database.transaction() as s:
            count = await s.scalar(select(func.count()).select_from(Attempt))
        assert count == 1
    finally:
        await services.stop()
