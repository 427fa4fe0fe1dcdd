"""The offline rubric scorer on bundled and hand-made questions."""

from __future__ import annotations

import pytest

from bot.assessment.offline import OfflineRubricScorer
from bot.content import Catalog
from bot.content.schema import Criterion, FreeText, Level, Rubric

LEVELS = [Level(id="no", label="Not yet", points=0), Level(id="yes", label="Met", points=2)]


def free_texts(catalog: Catalog) -> list[FreeText]:
    return [
        q
        for program in catalog
        for quiz in program.quizzes.values()
        for q in quiz.questions
        if isinstance(q, FreeText)
    ]


def test_every_bundled_free_text_question_is_scored_sensibly(catalog: Catalog) -> None:
    scorer = OfflineRubricScorer()
    questions = free_texts(catalog)
    assert len(questions) == 3
    for q in questions:
        good = scorer.score(q, q.reference_answers[0])
        assert good.status == "scored" and good.correct, (q.id, good)
        assert set(good.levels) == {c.id for c in q.rubric.criteria}
        for weak in (
            "I don't know, sorry.",
            "The weather in Lisbon is lovely in spring and the custard tarts are great.",
            q.prompt,  # repeating the question is no answer
        ):
            bad = scorer.score(q, weak)
            assert not bad.correct and (bad.points or 0) < q.rubric.pass_mark, (q.id, weak)


def test_an_answer_in_own_words_passes_and_feedback_keeps_the_answer_to_itself(
    catalog: Catalog,
) -> None:
    q = next(q for q in free_texts(catalog) if q.id == "regex-instead-of-parameters")
    own_words = (
        "Strict regexes help, but they can't be the only defence. Real names like O'Brien "
        "contain an apostrophe, which is a special character in SQL, so the regex has to let "
        "it through, and sooner or later someone adds a field without one. Prepared statements "
        "send values separately from the query, and output encoding for the HTML context stops "
        "script injection. Let's keep validation as an extra layer: defence in depth."
    )
    score = OfflineRubricScorer().score(q, own_words)
    assert score.correct and score.points == 4
    half = OfflineRubricScorer().score(q, "Validation is not enough because of apostrophes.")
    assert not half.correct
    shown = " ".join(half.feedback)
    assert "Names the defences that hold" in shown and "Not yet" in shown
    assert "Not yet covered" not in shown and "parameterised" not in shown.casefold()


def test_scores_are_deterministic(catalog: Catalog) -> None:
    q = free_texts(catalog)[0]
    answers = [OfflineRubricScorer().score(q, q.reference_answers[0][:120]) for _ in range(3)]
    assert len({(a.points, tuple(a.levels.items()), a.feedback) for a in answers}) == 1


def _question(criterion: Criterion) -> FreeText:
    return FreeText(
        id="q",
        type="free_text",
        prompt="How do you keep secrets out of a repository?",
        rubric=Rubric(pass_mark=2, criteria=[criterion]),
    )


def test_required_terms_gate_the_top_level() -> None:
    criterion = Criterion(
        id="store",
        title="Names a secret store",
        key_concepts=["vault", "environment"],
        required_terms=["secret manager | vault"],
        levels=[*LEVELS[:1], Level(id="partly", label="Partly", points=1), LEVELS[1]],
    )
    q = _question(criterion)
    with_term = OfflineRubricScorer().score(q, "Put them in a vault and read the environment.")
    assert with_term.levels == {"store": "yes"}
    without = OfflineRubricScorer().score(q, "Read them from the environment at start-up.")
    assert without.levels == {"store": "no"}
    assert "secret manager" not in without.feedback[0] and "vault" not in without.feedback[0]


@pytest.mark.parametrize("answer", ["", "ok", "the"])
def test_near_empty_answers_get_the_lowest_level(answer: str) -> None:
    q = _question(Criterion(id="c", title="T", key_concepts=["vault"], levels=LEVELS))
    score = OfflineRubricScorer().score(q, answer)
    assert score.points == 0 and score.status == "scored"
    assert "too short" in score.feedback[0] or "does not seem to address" in score.feedback[0]
