"""Nobody who skips the lessons passes: gaming strategies against every bundled program."""

from __future__ import annotations

import pytest

from bot.assessment.scoring import RubricScoring
from bot.content import Catalog
from tests.assessment.gaming import STRATEGIES, Examiner, Learner, prepared

LEARNERS = 50
PROGRAMS = ("secure-coding", "data-privacy", "effective-feedback")


@pytest.fixture(scope="module")
def examiner() -> Examiner:
    return Examiner(RubricScoring())


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
@pytest.mark.parametrize("program_id", PROGRAMS)
async def test_a_gaming_strategy_passes_no_graded_quiz(
    examiner: Examiner, catalog: Catalog, program_id: str, strategy: str
) -> None:
    program = catalog.programs[program_id]
    passed = []
    for seed in range(LEARNERS):
        outcomes = await examiner.take(program, Learner(seed), STRATEGIES[strategy])
        passed += [(seed, o.quiz_id, o.run, round(o.percent)) for o in outcomes if o.passed]
    assert passed == [], f"{strategy} passed {len(passed)} runs: {passed[:5]}"


@pytest.mark.parametrize("program_id", PROGRAMS)
async def test_a_prepared_learner_passes_every_graded_quiz_first_time(
    catalog: Catalog, program_id: str
) -> None:
    examiner = Examiner(RubricScoring(), portfolio_points=True)
    program = catalog.programs[program_id]
    for seed in range(5):
        outcomes = await examiner.take(program, Learner(seed), prepared)
        assert [(o.quiz_id, o.passed) for o in outcomes] == [
            (q, True) for q in program.required_quizzes()
        ]
