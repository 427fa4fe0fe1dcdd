"""How the composition root plugs assessment in: the scorer, the audit trail, reviews."""

from __future__ import annotations

from bot.assessment.examples import ReviewedExamples
from bot.assessment.llm import LlmRubricScorer
from bot.assessment.scoring import RubricScoring
from bot.learning.hooks import AttemptRecorded, Hooks
from bot.marking import review_chat
from bot.marking.audit import on_attempt_recorded
from bot.settings import Settings
from storage.db import Database


def build_scorer(settings: Settings, database: Database) -> RubricScoring:
    """Offline rubric scoring always, learning from reviewers' scores of the same question;
    a model too when MICROCRED_LLM_MODEL is set."""
    llm = None
    if settings.llm_model:
        prices = (settings.llm_price_input, settings.llm_price_output)
        llm = LlmRubricScorer(
            model=settings.llm_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            database=database,
            timeout=settings.llm_timeout,
            price_per_million=prices if any(prices) else None,
        )
    return RubricScoring(llm=llm, examples=ReviewedExamples(database))


def register(hooks: Hooks) -> None:
    hooks.on(AttemptRecorded, on_attempt_recorded)
    review_chat.register(hooks)
