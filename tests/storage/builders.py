"""Test helpers: a tiny program library on disk and a learner's records in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program, load_library
from bot.learning.enrollment import enroll
from storage.models import Attempt, Person, StepProgress
from storage.queries.people import ensure_person
from storage.types import utcnow

PROGRAM = """\
id: {id}
title: {title}
summary: A two-step program for tests.
steps:
  - lesson: hello
  - quiz: check
badge:
  name: {title}
  description: Finished {title}.
  criteria: Passed the check.
"""
LESSON = """\
---
id: hello
title: Hello
---
Hello, learner. This lesson has one short page.
"""
QUIZ = """\
id: check
title: Check
questions:
  - id: sky
    type: true_false
    prompt: The sky on a clear day is blue.
    answer: true
  - id: essay
    type: free_text
    prompt: Explain why in your own words.
    rubric:
      pass_mark: 1
      criteria:
        - id: clarity
          title: Clarity
          levels:
            - {id: low, label: Unclear, points: 0}
            - {id: high, label: Clear, points: 2}
"""
PROGRAMS = {"tiny": "Tiny program", "other": "Other program"}


def write_library(root: Path) -> Path:
    """Two valid programs, `tiny` and `other`, each a lesson then a quiz of two questions."""
    for program_id, title in PROGRAMS.items():
        lessons = root / "lessons" / program_id
        quizzes = root / "quizzes" / program_id
        lessons.mkdir(parents=True)
        quizzes.mkdir(parents=True)
        (lessons / "program.yaml").write_text(PROGRAM.format(id=program_id, title=title))
        (lessons / "hello.md").write_text(LESSON)
        (quizzes / "check.yaml").write_text(QUIZ)
    return root


def tiny_program(root: Path) -> Program:
    program = load_library(root).get("tiny")
    assert program is not None
    return program


@dataclass(frozen=True)
class Learner:
    person_id: int
    enrollment_id: int


async def learner_with_answers(
    session: AsyncSession,
    *,
    program: Program,
    identity: str,
    name: str,
    email: str = "",
    answer: str = "Because of Rayleigh scattering",
    completed: bool = False,
) -> Learner:
    """A learner who read the lesson, got the true/false right and wrote a pending essay."""
    person: Person = await ensure_person(session, identity=identity, display_name=name, email=email)
    enrollment, _ = await enroll(session, person=person, program=program)
    now = utcnow()
    session.add_all(
        [
            StepProgress(
                enrollment_id=enrollment.id,
                step_key="lesson:hello",
                status="done",
                content_hash="h1",
                updated_at=now - timedelta(minutes=5),
            ),
            Attempt(
                workspace_id=person.workspace_id,
                enrollment_id=enrollment.id,
                program_id=program.id,
                quiz_id="check",
                question_id="sky",
                quiz_run=0,
                content_hash="q1",
                response={"choice": True},
                status="scored",
                points=1,
                max_points=1,
                correct=True,
                feedback={"text": "Right"},
                scorer="exact",
                created_at=now - timedelta(minutes=2),
            ),
            Attempt(
                workspace_id=person.workspace_id,
                enrollment_id=enrollment.id,
                program_id=program.id,
                quiz_id="check",
                question_id="essay",
                quiz_run=0,
                content_hash="q2",
                response={"text": answer},
                status="pending",
                points=None,
                max_points=2,
                correct=None,
                feedback=None,
                scorer="rubric",
                created_at=now - timedelta(minutes=1),
            ),
        ]
    )
    if completed:
        session.add(
            StepProgress(
                enrollment_id=enrollment.id,
                step_key="quiz:check",
                status="passed",
                score=3,
                max_score=3,
                content_hash="h2",
                updated_at=now,
            )
        )
        enrollment.status, enrollment.completed_at = "completed", now
    await session.flush()
    return Learner(person.id, enrollment.id)
