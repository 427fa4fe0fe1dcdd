"""Answers people already scored for a question: extra labelled examples for the scorer.

A reviewer's confirmation or override (`scores override`, `reviews confirm`) is a
`ScoreRecord` from a person. The offline scorer reads those for the same question and
the same version of it, in its own short read transaction; the cache is keyed by the
newest such record, so a new human score is seen on the next answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.assessment.offline import Scored
from bot.content import Program
from bot.content.schema import FreeText
from storage.db import Database
from storage.queries.examples import human_scores, newest_human_score

HUMAN_SOURCES = ("reviewer", "cli", "peer-review", "escalation")
"""ScoreRecord sources that are a person's decision."""
LIMIT = 400
"""Newest scored answers kept per question."""


class ExampleSource(Protocol):
    async def scored(self, program: Program, question: FreeText) -> Sequence[Scored]:
        """Answers to `question` that people scored, oldest first."""
        ...


class StaticExamples:
    """In-memory examples by (program id, question id), for tests and evaluations."""

    def __init__(self, examples: Mapping[tuple[str, str], Sequence[Scored]] | None = None) -> None:
        self.examples = {key: list(value) for key, value in (examples or {}).items()}

    def add(self, program_id: str, question_id: str, example: Scored) -> None:
        self.examples.setdefault((program_id, question_id), []).append(example)

    async def scored(self, program: Program, question: FreeText) -> Sequence[Scored]:
        return self.examples.get((program.id, question.id), [])


@dataclass(frozen=True)
class _Cached:
    newest: int | None
    examples: tuple[Scored, ...]


def _quiz_of(program: Program, question: FreeText) -> str | None:
    for quiz in program.quizzes.values():
        if any(q.id == question.id for q in quiz.questions):
            return quiz.id
    return None


class ReviewedExamples:
    """Human scores from the database, for the question's current version only."""

    def __init__(self, database: Database, limit: int = LIMIT) -> None:
        self.database = database
        self.limit = limit
        self._cache: dict[tuple[str, str, str, str], _Cached] = {}

    async def scored(self, program: Program, question: FreeText) -> Sequence[Scored]:
        quiz_id = _quiz_of(program, question)
        if quiz_id is None:
            return ()
        version = program.question_hash(quiz_id, question.id)
        key = (program.id, quiz_id, question.id, version)
        async with self.database.transaction() as session:
            newest = await newest_human_score(
                session,
                program_id=program.id,
                quiz_id=quiz_id,
                question_id=question.id,
                content_hash=version,
                sources=HUMAN_SOURCES,
            )
            cached = self._cache.get(key)
            if cached is not None and cached.newest == newest:
                return cached.examples
            rows = await human_scores(
                session,
                program_id=program.id,
                quiz_id=quiz_id,
                question_id=question.id,
                content_hash=version,
                sources=HUMAN_SOURCES,
                limit=self.limit * 2,
            )
        latest: dict[int, Scored] = {}
        for attempt_id, response, points, levels in rows:  # newest first: the last word
            if attempt_id not in latest and isinstance(response, str) and response.strip():
                passed = float(points) + 1e-9 >= question.rubric.pass_mark
                latest[attempt_id] = Scored(response, passed, dict(levels or {}))
        examples = tuple(reversed(list(latest.values())[: self.limit]))
        self._cache[key] = _Cached(newest, examples)
        return examples
