"""A small program library for peer review tests: a portfolio task, open and anonymous."""

from __future__ import annotations

from pathlib import Path

from bot.content import Catalog, load_library
from bot.settings import PROJECT_ROOT

PROGRAM = """\
id: {id}
title: {title}
summary: One portfolio task, reviewed by peers.
steps:
  - quiz: work
badge:
  name: {title}
  description: Had a design note approved by peers.
  criteria: A design note approved by two peer reviewers.
review:
  reviewers: {reviewers}
  anonymous: {anonymous}
{minimum}"""
QUIZ = """\
id: work
title: Design note
questions:
  - id: note
    type: portfolio
    prompt: Write a short design note for a change you made.
    instructions: Say what changed, why, and what you would check before release.
    max_length: 3000
    rubric:
      pass_mark: 2
      criteria:
        - id: why
          title: Explains why
          description: The reason for the change is clear.
          levels:
            - {{id: not-yet, label: Not yet, points: 0}}
            - {{id: partly, label: Partly, points: 1}}
            - {{id: met, label: Met, points: 2}}
        - id: checks
          title: Plans checks
          levels:
            - {{id: not-yet, label: Not yet, points: 0}}
            - {{id: met, label: Met, points: 1}}
{anchors}"""
ANCHORS = """\
    anchors:
      - id: good-note
        submission: >
          We moved uploads to a queue because the API timed out.
          Before release we load-test ten times the traffic.
        levels: {why: met, checks: met}
"""
PROGRAMS = {
    "peer-open": ("Peer reviewed notes", 2, "false", ANCHORS, None),
    "peer-anon": ("Anonymous notes", 2, "true", "", None),
    "peer-solo": ("Solo notes", 1, "false", "", None),
    "peer-min": ("Notes one reviewer may pass", 2, "false", ANCHORS, 1),
}
"""id: (title, review.reviewers, review.anonymous, anchors, review.min_reviewers)."""
WRITEUP = "We cache the price list for 5 minutes because the pricing API is slow."


def write_peer_library(root: Path) -> Path:
    for program_id, (title, reviewers, anonymous, anchors, least) in PROGRAMS.items():
        lessons, quizzes = root / "lessons" / program_id, root / "quizzes" / program_id
        lessons.mkdir(parents=True)
        quizzes.mkdir(parents=True)
        (lessons / "program.yaml").write_text(
            PROGRAM.format(
                id=program_id,
                title=title,
                reviewers=reviewers,
                anonymous=anonymous,
                minimum=f"  min_reviewers: {least}\n" if least else "",
            )
        )
        (quizzes / "work.yaml").write_text(QUIZ.format(anchors=anchors))
    return root


def peer_catalog(root: Path) -> Catalog:
    """The test programs plus the bundled ones."""
    catalog = load_library(write_peer_library(root))
    bundled = load_library(PROJECT_ROOT)
    for program in bundled:
        catalog.programs[program.id] = program
    return catalog
