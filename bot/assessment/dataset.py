"""Short-answer datasets: rows of question, references, answer and human grade (JSONL)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.assessment.text import content_stems, stem, words
from bot.content.schema import Criterion, FreeText, Level, Rubric

LEVELS = [
    Level(id="not-yet", label="Not yet", points=0),
    Level(id="partly", label="Partly", points=1),
    Level(id="met", label="Met", points=2),
]
MAX_CONCEPTS = 12


@dataclass(frozen=True)
class Row:
    question: str
    references: tuple[str, ...]
    answer: str
    gold: int
    scale: str
    question_id: str = ""
    """Rows with the same id answer the same question (the question's text when absent)."""


def read_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            refs = [r["text"] for r in data.get("reference_answers") or [] if r.get("text")]
            rows.append(
                Row(
                    data["question"],
                    tuple(refs or [data["reference_answer"]]),
                    data["student_answer"],
                    int(data["score"]),
                    str(data.get("score_scale", "")),
                    str(data.get("question_id") or data["question"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a dataset row ({exc})") from None
    return rows


def top_label(rows: Sequence[Row]) -> int:
    """The highest grade of the scale: 1 for binary data, else from `0-5` or the data."""
    declared = [
        int(m.group(1)) for r in rows[:50] if (m := re.search(r"\d+\s*[-–]\s*(\d+)", r.scale))
    ]
    if all(r.scale.lower().startswith("binary") for r in rows[:50]):
        return 1
    return max([*declared, *(r.gold for r in rows), 1])


def question_for(row: Row) -> FreeText:
    """The fixed rule: one criterion whose key concepts are the reference's words not in the
    question; levels not yet / partly / met; passing needs `met` (the 0/1 scale's 1)."""
    given = set(content_stems(row.question))
    concepts: list[str] = []
    for word in words(" ".join(row.references)):
        if stem(word) not in given and word not in concepts and content_stems(word):
            concepts.append(word)
    criterion = Criterion(
        id="answer",
        title="Matches the reference answer",
        key_concepts=concepts[:MAX_CONCEPTS],
        levels=LEVELS,
    )
    return FreeText(
        id="q",
        type="free_text",
        prompt=row.question,
        rubric=Rubric(pass_mark=2, criteria=[criterion]),
        reference_answers=list(row.references),
    )


def to_label(points: float, question: FreeText, top: int) -> int:
    if top == 1:
        return int(points + 1e-9 >= question.rubric.pass_mark)
    return round(points / question.rubric.max_points * top)
