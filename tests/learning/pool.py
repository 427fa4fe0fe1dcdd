"""A program whose final quiz draws from a pool of questions, written as files for a test."""

from __future__ import annotations

from pathlib import Path

PROGRAM = """\
id: pool
title: Pool program
summary: One lesson and a quiz drawn from a pool.
steps:
  - lesson: intro
  - quiz: final
badge:
  name: Pool Badge
  description: Passed the pool quiz.
  criteria: Pass the final.
"""
LESSON = "---\nid: intro\ntitle: Introduction\n---\nOne page.\n"


def question(number: int, options: int = 5) -> str:
    """Single choice question `q<number>`; option o2 is correct."""
    lines = "\n".join(
        f"      - {{id: o{i}, text: Option {i} of {number}{', correct: true' if i == 2 else ''}}}"
        for i in range(options)
    )
    head = f"  - id: q{number}\n    type: single_choice\n    prompt: Question {number}?\n"
    return f"{head}    options:\n{lines}\n"


def write_pool(root: Path, quiz: str) -> Path:
    """The pool program under `root`, its quiz file holding `quiz`; returns `root`."""
    (root / "lessons" / "pool").mkdir(parents=True)
    (root / "quizzes" / "pool").mkdir(parents=True)
    (root / "lessons" / "pool" / "program.yaml").write_text(PROGRAM)
    (root / "lessons" / "pool" / "intro.md").write_text(LESSON)
    (root / "quizzes" / "pool" / "final.yaml").write_text(quiz)
    return root
