"""The offline scorer learns from answers people scored for the same question."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.examples import ReviewedExamples, StaticExamples
from bot.assessment.offline import Scored
from bot.assessment.scoring import RubricScoring
from bot.content import Program
from bot.content.schema import Criterion, FreeText, Level, Rubric
from bot.learning.enrollment import enroll
from storage.db import Database
from storage.models import Attempt, ScoreStatus
from storage.queries.assessment import score_record
from storage.queries.people import ensure_person
from tests.assessment import library

LEVELS = [Level(id="no", label="Not yet", points=0), Level(id="yes", label="Met", points=2)]
QUESTION = FreeText(
    id="scratch",
    type="free_text",
    prompt="Why can the paperclip scratch the mineral?",
    rubric=Rubric(
        pass_mark=2,
        criteria=[
            Criterion(id="answer", title="Explains why", key_concepts=["harder"], levels=LEVELS)
        ],
    ),
    reference_answers=["The paperclip is harder than the mineral."],
)
PASSED = [
    "Steel beats that rock on the hardness scale.",
    "Its steel beats the rock on the scale of hardness.",
    "On the hardness scale the steel beats the rock.",
    "The steel wins over the rock on hardness scale.",
]
FAILED = ["Because it is shiny.", "The mineral is white and soft looking.", "It is sharp.", "Luck."]
ANSWER = "Steel beats the rock on the hardness scale, so it leaves a mark."


def _program(tmp_path: Path) -> Program:
    return library.write(tmp_path / "lib").programs["essay"]


async def test_confirmed_answers_teach_the_scorer_a_second_way_to_be_right(
    tmp_path: Path,
) -> None:
    program = _program(tmp_path)
    before = await RubricScoring().score(program, QUESTION, ANSWER)
    assert not before.correct  # nothing like the reference answer
    examples = StaticExamples()
    for text in PASSED:
        examples.add(program.id, QUESTION.id, Scored(text, True, {"answer": "yes"}))
    for text in FAILED:
        examples.add(program.id, QUESTION.id, Scored(text, False, {"answer": "no"}))
    after = await RubricScoring(examples=examples).score(program, QUESTION, ANSWER)
    assert after.correct and after.details["examples"] == len(PASSED) + len(FAILED)
    still_wrong = await RubricScoring(examples=examples).score(program, QUESTION, "It is shiny.")
    assert not still_wrong.correct


async def test_reviewed_examples_come_from_human_scores_and_see_new_ones(
    database: Database, tmp_path: Path
) -> None:
    program = _program(tmp_path)
    question = program.question("check", "essay")
    assert isinstance(question, FreeText)
    version = program.question_hash("check", "essay")

    async def answer(
        session: AsyncSession, text: str, source: str, points: float, hash_: str
    ) -> None:
        attempt = Attempt(
            workspace_id=person.workspace_id,
            enrollment_id=enrollment.id,
            program_id=program.id,
            quiz_id="check",
            question_id="essay",
            quiz_run=0,
            try_no=len(texts) + 1,
            content_hash=hash_,
            response=text,
            status="scored",
            points=points,
            max_points=4,
            correct=points >= 2,
            feedback=[],
            scorer=source,
        )
        texts.append(text)
        session.add(attempt)
        await session.flush()
        session.add(
            score_record(
                attempt, source=source, status=ScoreStatus.SCORED, points=points, stood=True
            )
        )

    texts: list[str] = []
    async with database.transaction() as session:
        person = await ensure_person(session, identity="local:ex", display_name="Ex")
        enrollment, _ = await enroll(session, person=person, program=program)
        await answer(session, "Confirmed by a reviewer.", "reviewer", 4, version)
        await answer(session, "Scored by the machine only.", "offline", 4, version)
        await answer(session, "Scored against an older version.", "cli", 4, "old")
    source = ReviewedExamples(database)
    first = await source.scored(program, question)
    assert [(e.text, e.passed) for e in first] == [("Confirmed by a reviewer.", True)]
    assert await source.scored(program, question) is first  # cached
    async with database.transaction() as session:
        await answer(session, "Overridden from the command line.", "cli", 0, version)
    second = await source.scored(program, question)
    assert [(e.text, e.passed) for e in second] == [
        ("Confirmed by a reviewer.", True),
        ("Overridden from the command line.", False),
    ]
