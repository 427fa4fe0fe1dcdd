"""The loaded library: programs with their lessons, quizzes and content hashes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from bot.content.schema import LessonMeta, LessonStep, ProgramMeta, Question, Quiz, QuizStep


def content_hash(value: Any) -> str:
    """A short, stable hash of canonical JSON (what an attempt was scored against)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Lesson:
    meta: LessonMeta
    pages: tuple[str, ...]
    hash: str

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Step:
    kind: Literal["lesson", "quiz"]
    id: str
    title: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Program:
    meta: ProgramMeta
    lessons: dict[str, Lesson]
    quizzes: dict[str, Quiz]
    hash: str
    question_hashes: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """The program's steps in order (computed once: a loaded program never changes)."""
        out = []
        for step in self.meta.steps:
            if isinstance(step, LessonStep):
                lesson = self.lessons[step.lesson]
                out.append(Step("lesson", lesson.id, lesson.meta.title))
            else:
                assert isinstance(step, QuizStep)
                quiz = self.quizzes[step.quiz]
                out.append(Step("quiz", quiz.id, quiz.title))
        return tuple(out)

    @cached_property
    def _step_numbers(self) -> dict[str, int]:
        return {s.key: n for n, s in enumerate(self.steps, 1)}

    def step(self, key: str) -> Step | None:
        number = self._step_numbers.get(key)
        return None if number is None else self.steps[number - 1]

    def step_number(self, key: str) -> int:
        """The step's place in the program, from 1 (KeyError for a step it does not have)."""
        return self._step_numbers[key]

    def required_quizzes(self) -> list[str]:
        wanted = self.meta.passing.quizzes
        return [
            s.id for s in self.steps if s.kind == "quiz" and (wanted == "all" or s.id in wanted)
        ]

    def question(self, quiz_id: str, question_id: str) -> Question | None:
        quiz = self.quizzes.get(quiz_id)
        if quiz is None:
            return None
        return next((q for q in quiz.questions if q.id == question_id), None)

    def question_hash(self, quiz_id: str, question_id: str) -> str:
        return self.question_hashes[(quiz_id, question_id)]


def build_program(
    meta: ProgramMeta, lessons: dict[str, Lesson], quizzes: dict[str, Quiz]
) -> Program:
    """Assemble a program and hash every question and the whole."""
    # Defaults are left out, so a new optional field never changes the hash of content.
    question_hashes = {
        (quiz.id, q.id): content_hash(q.model_dump(mode="json", exclude_defaults=True))
        for quiz in quizzes.values()
        for q in quiz.questions
    }
    whole = content_hash(
        {
            "meta": meta.model_dump(mode="json", exclude_defaults=True),
            "lessons": {k: v.hash for k, v in lessons.items()},
            "questions": sorted(question_hashes.values()),
        }
    )
    return Program(meta, lessons, quizzes, whole, question_hashes)


@dataclass(frozen=True)
class Catalog:
    programs: dict[str, Program]
    skipped: tuple[str, ...] = ()

    def get(self, program_id: str) -> Program | None:
        return self.programs.get(program_id)

    def find(self, text: str) -> Program | None:
        """A program by id, or by a title that starts with the text (case-insensitive)."""
        wanted = text.strip().lower()
        if wanted in self.programs:
            return self.programs[wanted]
        matches = [p for p in self.programs.values() if p.title.lower().startswith(wanted)]
        return matches[0] if len(matches) == 1 else None

    def __iter__(self) -> Iterator[Program]:
        return iter(sorted(self.programs.values(), key=lambda p: p.title))
