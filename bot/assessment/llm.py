"""The language-model rubric scorer: one validated, cached, metered request per new answer.

A verdict is only as good as its evidence: every level above the lowest must quote the
answer, and a quote that is not in it (or is the grader being talked to) fails the grade."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion

from bot.assessment import llm_prompt
from bot.assessment.llm_evidence import InvalidGrade, checked_evidence, plain
from bot.content.schema import FreeText, Portfolio, Rubric
from storage.db import Database
from storage.queries.assessment import cached_llm_result, store_llm_result

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelGrade:
    """What the model said, after validation; `error` is set when it gave no usable grade."""

    levels: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    justification: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    """Per criterion, the quotes from the answer the level rests on (checked verbatim)."""
    overall: str = ""
    error: str = ""
    usage: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


def validate(rubric: Rubric, content: str, answer: str, *, shown: str = "") -> dict[str, Any]:
    """The model's JSON, checked against the rubric and the answer: every criterion, only
    known levels, and quoted evidence found in the answer for every level above the lowest.

    `shown` is what the learner could copy back (the question and rubric wording): quotes
    found there as well are kept out of the evidence."""
    try:
        data = json.loads(content)
    except (TypeError, ValueError) as exc:
        raise InvalidGrade(f"malformed JSON: {exc}") from None
    criteria = data.get("criteria") if isinstance(data, dict) else None
    if not isinstance(criteria, dict):
        raise InvalidGrade("no 'criteria' object")
    text, copied = plain(answer), plain(shown)
    clean: dict[str, Any] = {"criteria": {}, "overall_feedback": ""}
    for criterion in rubric.criteria:
        given = criteria.get(criterion.id)
        if not isinstance(given, dict):
            raise InvalidGrade(f"criterion '{criterion.id}' is missing")
        level = given.get("level")
        if level not in {lvl.id for lvl in criterion.levels}:
            raise InvalidGrade(f"unknown level {str(level)[:40]!r} for '{criterion.id}'")
        clean["criteria"][criterion.id] = {
            "level": level,
            "evidence": checked_evidence(criterion, level, given.get("evidence"), text, copied),
            "justification": str(given.get("justification", ""))[:600],
            "feedback": str(given.get("feedback", ""))[:600],
        }
    clean["overall_feedback"] = str(data.get("overall_feedback", ""))[:600]
    return clean


def _grade(result: dict[str, Any], usage: dict[str, Any]) -> ModelGrade:
    criteria = result["criteria"]
    return ModelGrade(
        {cid: c["level"] for cid, c in criteria.items()},
        {cid: c["feedback"] for cid, c in criteria.items()},
        {cid: c["justification"] for cid, c in criteria.items()},
        {cid: list(c.get("evidence", [])) for cid, c in criteria.items()},
        result.get("overall_feedback", ""),
        usage=usage,
    )


def _shown(question: FreeText | Portfolio) -> str:
    brief = getattr(question, "instructions", "")
    return llm_prompt.shown_text(question.prompt, question.rubric, brief)


class LlmRubricScorer:
    """Grades free text with an OpenAI-compatible chat model (temperature 0, JSON schema)."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str = "",
        database: Database | None = None,
        timeout: float = 20.0,
        max_retries: int = 2,
        price_per_million: tuple[float, float] | None = None,
    ) -> None:
        self.model = model
        self.api_key = api_key or "unset"
        self.base_url = base_url or None
        self.database = database
        self.timeout = timeout
        self.max_retries = max_retries
        self.prices = price_per_million

    @property
    def provider(self) -> str:
        """Who receives the answers, for the notice learners see first."""
        if not self.base_url:
            return "OpenAI"
        return urlparse(self.base_url).hostname or "the model provider"

    def _cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        if self.prices is None:
            return None
        return round((prompt_tokens * self.prices[0] + completion_tokens * self.prices[1]) / 1e6, 6)

    async def grade(self, question: FreeText | Portfolio, answer: str) -> ModelGrade:
        """The model's grade; never raises for model or network trouble (see `error`)."""
        references = list(getattr(question, "reference_answers", []))
        rubric_key = llm_prompt.rubric_version(question.prompt, question.rubric, references)
        answer_key = llm_prompt.answer_hash(answer)
        if self.database is not None:
            async with self.database.transaction() as session:
                hit = await cached_llm_result(
                    session, model=self.model, rubric_hash=rubric_key, answer_hash=answer_key
                )
            if hit is not None:
                usage = {"model": self.model, "cached": True, "prompt_tokens": 0}
                return _grade(hit, usage | {"completion_tokens": 0, "cost_usd": 0.0})
        started = time.monotonic()
        try:
            response = await self._request(question, references, answer)
        except openai.OpenAIError as exc:
            log.warning("model %s failed: %s", self.model, exc)
            return ModelGrade(error=f"{type(exc).__name__}: {str(exc)[:200]}", usage=self._usage())
        seconds = round(time.monotonic() - started, 3)
        tokens = response.usage
        prompt_tokens = tokens.prompt_tokens if tokens else 0
        completion_tokens = tokens.completion_tokens if tokens else 0
        usage = self._usage(prompt_tokens, completion_tokens, seconds)
        content = response.choices[0].message.content if response.choices else None
        try:
            result = validate(question.rubric, content or "", answer, shown=_shown(question))
        except InvalidGrade as exc:
            log.info("model %s verdict rejected: %s", self.model, exc)
            return ModelGrade(error=str(exc), usage=usage)
        if self.database is not None:
            async with self.database.transaction() as session:
                await store_llm_result(
                    session,
                    model=self.model,
                    rubric_hash=rubric_key,
                    answer_hash=answer_key,
                    result=result,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    cost_usd=self._cost(prompt_tokens, completion_tokens),
                )
        return _grade(result, usage)

    def _usage(self, prompt: int = 0, completion: int = 0, seconds: float = 0.0) -> dict[str, Any]:
        return {
            "model": self.model,
            "cached": False,
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "cost_usd": self._cost(prompt, completion),
            "seconds": seconds,
        }

    async def _request(
        self, question: FreeText | Portfolio, references: list[str], answer: str
    ) -> ChatCompletion:
        schema = llm_prompt.response_schema(question.rubric)
        async with AsyncOpenAI(
            api_key=self.api_key,
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
        ) as client:
            return await client.chat.completions.create(
                model=self.model,
                temperature=0,
                messages=[
                    {
                        "role": "system",
                        "content": llm_prompt.instructions(
                            question.prompt, question.rubric, references
                        ),
                    },
                    {"role": "user", "content": llm_prompt.answer_message(answer)},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": "rubric_grade", "strict": True, "schema": schema},
                },
            )
