"""A small program library for assessment tests: a lesson, then a quiz with tries and free text."""

from __future__ import annotations

from pathlib import Path

from bot.content import Catalog, load_library

PROGRAM = """\
id: essay
title: Essay program
summary: One lesson and one quiz with free text.
steps:
  - lesson: intro
  - quiz: check
badge:
  name: Essay Badge
  description: Finished the essay program.
  criteria: Pass the check.
llm_scoring: {llm}
{passing}"""
LESSON = """\
---
id: intro
title: Introduction
---
One page.
"""
QUIZ = """\
id: check
title: Check
pass_mark: 60
questions:
  - id: word
    type: short_answer
    prompt: What does the I in SBI stand for?
    accepted: [impact]
    max_attempts: {tries}
    cooldown: "{cooldown}"
  - id: essay
    type: free_text
    prompt: Why are parameterised queries safer than building SQL strings?
    min_length: 20
    rubric:
      pass_mark: 2
      criteria:
        - id: separation
          title: Keeps data apart from code
          description: Explains that values never become part of the SQL text.
          key_concepts: [separate | apart, placeholder | bind parameter, never executed]
          levels:
            - {{id: not-yet, label: Not yet, points: 0}}
            - {{id: partly, label: Partly, points: 1}}
            - {{id: met, label: Met, points: 2}}
        - id: example
          title: Gives an example
          key_concepts: [apostrophe | quote, O'Brien, drop table]
          levels:
            - {{id: not-yet, label: Not yet, points: 0}}
            - {{id: met, label: Met, points: 2}}
    reference_answers:
      - >
        The driver sends the values separately from the SQL text, through placeholders,
        so a value is never executed as code. A name like O'Brien with an apostrophe, or
        a value containing DROP TABLE, stays plain data.
"""
GOOD = (
    "With placeholders the driver sends the values separately from the SQL, so they are "
    "never executed as code. A name like O'Brien with an apostrophe stays plain data."
)
OFF_TOPIC = "I had a lovely holiday by the sea and the weather was warm every single day."


def write(
    root: Path, *, llm: bool = False, tries: int = 1, cooldown: str = "", graded: bool = True
) -> Catalog:
    """The library; `graded=False` makes the quiz practice, outside the passing rules."""
    lessons, quizzes = root / "lessons" / "essay", root / "quizzes" / "essay"
    lessons.mkdir(parents=True)
    quizzes.mkdir(parents=True)
    passing = "" if graded else "passing:\n  quizzes: []\n"
    (lessons / "program.yaml").write_text(PROGRAM.format(llm=str(llm).lower(), passing=passing))
    (lessons / "intro.md").write_text(LESSON)
    (quizzes / "check.yaml").write_text(QUIZ.format(tries=tries, cooldown=cooldown))
    return load_library(root)
