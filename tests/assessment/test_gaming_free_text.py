"""Learners who try to game the free-text scorer, next to the honest one: each cheat fails."""

from __future__ import annotations

import pytest

from bot.assessment.offline import OfflineRubricScorer
from bot.assessment.score import Score
from bot.assessment.scoring import RubricScoring
from bot.content import Catalog, Program
from bot.content.schema import FreeText
from bot.core.text import escape_markdown

OWN_WORDS = (
    "Strict regexes help, but they can't be the only defence. Real names like O'Brien "
    "contain an apostrophe, which is a special character in SQL, so the regex has to let "
    "it through, and sooner or later someone adds a field without one. Prepared statements "
    "send values separately from the query, and output encoding for the HTML context stops "
    "script injection. Let's keep validation as an extra layer: defence in depth."
)
NEGATED = (
    "Validation is a good layer, and plenty of valid data like O'Brien passes our name "
    "regex. But we should not use parameterised queries or contextual output encoding, "
    "because the regexes are enough to keep values out of the SQL text."
)


@pytest.fixture
def program(catalog: Catalog) -> Program:
    return catalog.programs["secure-coding"]


@pytest.fixture
def question(program: Program) -> FreeText:
    found = next(
        q
        for quiz in program.quizzes.values()
        for q in quiz.questions
        if q.id == "regex-instead-of-parameters"
    )
    assert isinstance(found, FreeText)
    return found


def concepts(question: FreeText) -> list[str]:
    return [c for criterion in question.rubric.criteria for c in criterion.key_concepts]


async def score(program: Program, question: FreeText, answer: str) -> Score:
    return await RubricScoring().score(program, question, answer)


def lesson_text(program: Program) -> str:
    return "\n\n".join(page for lesson in program.lessons.values() for page in lesson.pages)


def assert_meets_nothing(question: FreeText, result: Score) -> None:
    top = {c.id: c.levels[-1].id for c in question.rubric.criteria}
    assert not result.correct, result
    assert (result.points or 0) < question.rubric.pass_mark
    assert all(result.levels[cid] != level for cid, level in top.items()), result.levels


def gaming_answers(program: Program, question: FreeText) -> dict[str, str]:
    words = concepts(question)
    other = lesson_text(next(p for p in (program,) if p))  # this program's own lessons
    return {
        "keyword salad": " ".join(words),
        "keywords padded with banana": " ".join(words) + " banana banana banana",
        "keywords with commas": ", ".join(words) + ".",
        "question copied back": question.prompt,
        "lesson pasted in": other,
        "repeated keywords": " ".join(["parameterised queries output encoding"] * 4),
    }


async def test_every_gaming_answer_scores_below_the_pass_mark(
    program: Program, question: FreeText
) -> None:
    for name, answer in gaming_answers(program, question).items():
        result = await score(program, question, answer[: question.max_length])
        assert result.status == "scored", name
        assert_meets_nothing(question, result)


async def test_gaming_feedback_says_why_in_plain_words(
    program: Program, question: FreeText
) -> None:
    salad = await score(program, question, " ".join(concepts(question)) + " banana banana banana")
    assert "cannot meet the criteria" in salad.feedback[0]
    copied = await score(program, question, question.prompt)
    assert "repeats the question" in copied.feedback[0]
    pasted = await score(program, question, lesson_text(program)[: question.max_length])
    assert pasted.details["gaming"] in {
        "copies the lesson text",
        "is mostly text that does not answer the question",
    }


async def test_reference_text_buried_in_a_long_paste_does_not_pass(
    catalog: Catalog, program: Program, question: FreeText
) -> None:
    elsewhere = lesson_text(catalog.programs["effective-feedback"])
    answer = (elsewhere[:4000] + "\n\n" + question.reference_answers[0])[-question.max_length :]
    assert_meets_nothing(question, OfflineRubricScorer().score(question, answer))


async def test_the_honest_learner_passes(program: Program, question: FreeText) -> None:
    for answer in [*question.reference_answers, OWN_WORDS]:
        result = await score(program, question, answer)
        assert result.status == "scored" and result.correct, (answer[:40], result)


async def test_a_negated_key_concept_goes_to_a_person(program: Program, question: FreeText) -> None:
    result = await score(program, question, NEGATED)
    assert result.status == "pending"
    assert result.details["review_reason"] == "negation near a key concept"
    assert "A person will check this score" in result.feedback[-1]


async def test_feedback_never_hands_out_the_key_concepts(
    program: Program, question: FreeText
) -> None:
    answers = [
        "Validation is not enough because of apostrophes.",
        "I don't know, sorry.",
        "Regexes are fine if you write them carefully and test them well.",
        *gaming_answers(program, question).values(),
    ]
    for answer in answers:
        result = await score(program, question, answer[: question.max_length])
        shown = " ".join(result.feedback).casefold()
        assert "not yet covered" not in shown and "you cover" not in shown
        for concept in concepts(question):
            for alternative in concept.split("|"):
                word = escape_markdown(alternative.strip()).casefold()
                assert word not in shown, (answer[:40], concept, result.feedback)
