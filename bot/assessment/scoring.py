"""The scoring seam: how an answer becomes a Score."""

from __future__ import annotations

from typing import Any, Protocol

from bot.assessment.exact import score_answer
from bot.assessment.score import Score
from bot.content import Program
from bot.content.schema import Question


class Scorer(Protocol):
    async def score(self, program: Program, question: Question, response: Any) -> Score: ...


class ExactScorer:
    """Exact scorers for closed questions; rubric questions wait for review."""

    async def score(self, program: Program, question: Question, response: Any) -> Score:
        return score_answer(question, response)
