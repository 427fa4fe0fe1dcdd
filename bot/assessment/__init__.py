"""Assessment: scoring answers against their questions and rubrics."""

from bot.assessment.exact import score_answer
from bot.assessment.responses import parse_response
from bot.assessment.score import Score

__all__ = ["Score", "parse_response", "score_answer"]
