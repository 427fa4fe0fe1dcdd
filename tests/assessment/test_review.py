"""Provisional scores join the review queue; confirming or overriding updates the learner."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.application import Application
from bot.cli import main
from bot.learning.hooks import ProgramCompleted
from bot.settings import Settings
from storage.models import Attempt, Enrollment, LearnerNotice, ScoreRecord
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.assessment import library
from tests.driver import Learner, all_text, buttons
from tests.fakes.openai_api import FakeOpenAI, fake_openai, grade

TOP = {"separation": "met", "example": "met"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with fake_openai(grade(TOP)) as server:
        yield server


@pytest.fixture
def root(tmp_path: Path) -> Path:
    library.write(tmp_path / "lib", llm=True)
    return tmp_path / "lib"


@pytest.fixture
async def services(db_url: str, root: Path, fake: FakeOpenAI) -> AsyncIterator[Application]:
    settings = Settings(
        database_url=db_url,
        content_dir=root,
        llm_model="test-model",
        openai_api_key="sk-test",
        openai_base_url=fake.url,
        llm_timeout=2.0,
    )
    built = Application.build(settings)
    yield built
    await built.stop()


async def reviewer(services: Application, name: str = "rita") -> Learner:
    async with services.database.transaction() as session:
        person = await ensure_person(session, identity=f"local:{name}", display_name=name)
        await grant_role(session, person=person, role="reviewer", program_id="essay")
    return Learner(services.router, name)


async def answer_essay(learner: Learner, essay: str) -> str:
    for text in ("start essay", "next", "impact"):
        await learner.say(text)
    asked = all_text(learner.last)
    assert "sent to 127.0.0.1 (without your name)" in asked  # told before answering
    return learner.text(await learner.say(essay))


async def attempts(services: Application) -> list[Attempt]:
    async with services.database.transaction() as session:
        return list(await session.scalars(select(Attempt).order_by(Attempt.id)))


async def test_a_disagreement_is_queued_and_a_confirmation_completes(
    services: Application, fake: FakeOpenAI
) -> None:
    completed: list[ProgramCompleted] = []

    async def on_completed(event: ProgramCompleted) -> None:
        completed.append(event)

    services.hooks.on(ProgramCompleted, on_completed)
    ann = Learner(services.router, "ann")
    shown = await answer_essay(ann, library.OFF_TOPIC)  # the model says 4, offline says 0
    assert "⏳ Provisional: 4 of 4 points" in shown
    assert "awaiting review before this quiz counts" in shown
    assert "Awaiting review: Check" in shown
    essay = (await attempts(services))[-1]
    assert (essay.status, essay.points, essay.scorer) == ("pending", 4, "llm")

    outsider = Learner(services.router, "olga")
    assert "Only reviewers and admins" in outsider.text(await outsider.say("marking"))
    rita = await reviewer(services)
    queue = rita.text(await rita.say("marking"))
    assert f"#{essay.id}" in queue and "provisional 4/4" in queue
    assert rita.text(await rita.say("reviews")) == queue  # the command's old word still works
    await rita.click(f"Review #{essay.id}")
    review = rita.last
    assert library.OFF_TOPIC in all_text(review).replace("\\", "")
    assert "model gave 4 and the offline scorer 0" in all_text(review)
    assert [b.label for b in buttons(review)] == ["Confirm 4/4", "Save score"]
    done = rita.text(await rita.click("Confirm 4/4"))
    assert f"answer #{essay.id} by Ann now has 4 of 4 points. The quiz is now passed." in done

    async with services.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        notice = await session.scalar(select(LearnerNotice))
        records = list(await session.scalars(select(ScoreRecord).order_by(ScoreRecord.id)))
    assert enrollment is not None and enrollment.status == "completed"
    assert len(completed) == 1 and completed[0].person.display_name == "Ann"
    assert notice is not None and "**4 of 4 points**" in notice.text and "now passed" in notice.text
    trail = [(r.source, r.status, r.stood) for r in records if r.attempt_id == essay.id]
    assert trail == [
        ("offline", "scored", False),
        ("llm", "provisional", True),
        ("reviewer", "scored", True),
    ]
    assert "Nothing is waiting" in rita.text(await rita.say("marking"))


async def test_the_rubric_form_overrides_and_the_cli_reopens_the_step(
    services: Application, root: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = Learner(services.router, "ann")
    await answer_essay(ann, library.OFF_TOPIC)
    essay = (await attempts(services))[-1]
    rita = await reviewer(services)
    await rita.say(f"marking {essay.id}")
    assert [b.label for b in buttons(rita.last)] == ["Confirm 4/4", "Save score"]
    refused = rita.text(
        await rita.click("Save score", {"level-separation": "met", "level-example": "not-yet"})
    )
    assert "Give a reason when you change a score" in refused
    saved = rita.text(
        await rita.click(
            "Save score",
            {"level-separation": "met", "level-example": "not-yet", "reason": "No example."},
        )
    )
    assert "now has 2 of 4 points. The quiz is now passed." in saved

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(root))
    runner = CliRunner()

    async def cli(*args: str) -> Result:  # the CLI runs its own event loop
        return await asyncio.to_thread(runner.invoke, main, list(args), catch_exceptions=False)

    listed = await cli("scores", "pending")
    assert "nothing waiting for review" in listed.output
    lowered = await cli(
        "scores", "override", str(essay.id), "--points", "0", "--reason", "Off topic."
    )
    assert lowered.exit_code == 0, lowered.output
    assert f"attempt {essay.id} (Ann): 2 -> 0/4; quiz failed" in lowered.output
    history = (await cli("scores", "history", str(essay.id))).output
    assert "reviewer" in history and "cli" in history and "Off topic." in history
    async with services.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        notices = list(await session.scalars(select(LearnerNotice).order_by(LearnerNotice.id)))
    assert enrollment is not None and enrollment.status == "finished"
    assert enrollment.completed_at is None
    assert "type `retake check`" in notices[-1].text and "Off topic." in notices[-1].text
    retake = ann.text(await ann.say("retake check"))  # the step is open again
    assert "What does the I in SBI stand for?" in retake


async def test_reviewers_cannot_review_their_own_answers(services: Application) -> None:
    rita = await reviewer(services)
    await answer_essay(rita, library.OFF_TOPIC)
    essay = (await attempts(services))[-1]
    assert "Nothing is waiting" in rita.text(await rita.say("marking"))
    assert "own answer" in rita.text(await rita.say(f"marking confirm {essay.id}"))
