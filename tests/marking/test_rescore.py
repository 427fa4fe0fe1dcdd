"""A person re-scores an answer: the quiz outcome follows, completion is given or withdrawn,
the learner is told, and scores that do not fit are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content import load_library
from bot.core.errors import BadRequest
from bot.learning.hooks import CompletionWithdrawn, ProgramCompleted
from bot.marking.rescore import Rescored, rescore
from storage.db import Database
from storage.models import Attempt, LearnerNotice, StepProgress
from tests.learning.desk import Desk, desk
from tests.storage.builders import write_library


@pytest.fixture
async def tiny(sqlite_database: Database, tmp_path: Path) -> AsyncIterator[Desk]:
    """Ann has read the lesson, got the true/false right and wrote an essay awaiting a person."""
    world = desk(sqlite_database, load_library(write_library(tmp_path / "lib")))
    ann = world.learner("ann")
    for text in ("start tiny", "next", "true"):
        await ann.say(text)
    waiting = ann.text(await ann.say("The air scatters blue light the most."))
    assert "Awaiting review: Check" in waiting
    yield world


async def essay_id(world: Desk) -> int:
    [essay] = await world.rows(Attempt, Attempt.question_id == "essay")
    return int(essay.id)


async def score(world: Desk, attempt_id: int, **given: object) -> Rescored:
    async with world.database.transaction() as session:
        return await rescore(
            session,
            catalog=world.catalog,
            hooks=world.hooks,
            attempt_id=attempt_id,
            actor="local:rita",
            source="review",
            **given,  # type: ignore[arg-type]
        )


async def test_scoring_the_last_pending_answer_completes_and_a_lower_score_withdraws_it(
    tiny: Desk,
) -> None:
    events: list[str] = []

    async def completed(event: ProgramCompleted) -> None:
        events.append("completed")

    async def withdrawn(event: CompletionWithdrawn) -> None:
        events.append("withdrawn")

    tiny.hooks.on(ProgramCompleted, completed)
    tiny.hooks.on(CompletionWithdrawn, withdrawn)
    essay = await essay_id(tiny)
    passed = await score(tiny, essay, levels={"clarity": "high"})
    assert (passed.before, passed.after, passed.quiz_status) == (None, 2.0, "passed")
    assert "✅ **Check** is now passed." in passed.notice
    assert (await tiny.enrollment("ann")).status == "completed" and events == ["completed"]

    lowered = await score(tiny, essay, points=0, reason="Copied from the *reference* answer")
    assert lowered.quiz_status == "failed"
    assert "**0 of 2 points** (was 2)." in lowered.notice
    assert "Reviewer's note: Copied from the \\*reference\\* answer" in lowered.notice
    assert "**Check** is not passed yet: type `retake check` to try again." in lowered.notice
    enrollment = await tiny.enrollment("ann")
    assert (enrollment.status, enrollment.completed_at) == ("finished", None)
    assert events == ["completed", "withdrawn"]
    [outcome] = await tiny.rows(StepProgress, StepProgress.step_key == "quiz:check")
    assert (outcome.status, outcome.score, outcome.max_score) == ("failed", 1, 3)
    notices = await tiny.rows(LearnerNotice)
    assert [n.text for n in notices] == [passed.notice, lowered.notice]  # kept for delivery


async def test_scores_that_do_not_fit_are_refused_and_change_nothing(tiny: Desk) -> None:
    essay = await essay_id(tiny)
    refusals: list[tuple[int, dict[str, object], str]] = [
        (9999, {}, "There is no answer #9999."),
        (essay, {"points": 3}, "Points must be between 0 and 2."),
        (essay, {}, f"Answer #{essay} has no score to confirm yet: score it."),
        (essay, {"levels": {"clarity": "superb"}}, "Pick a level for “Clarity”: one of low, high."),
    ]
    for attempt_id, given, said in refusals:
        with pytest.raises(BadRequest) as refused:
            await score(tiny, attempt_id, **given)
        assert str(refused.value) == said
    await score(tiny, essay, points=1)
    with pytest.raises(BadRequest, match="Give a reason when you change a score"):
        await score(tiny, essay, points=2)
    [stored] = await tiny.rows(Attempt, Attempt.id == essay)
    assert (stored.status, stored.points) == ("scored", 1)
    assert len(await tiny.rows(LearnerNotice)) == 1
