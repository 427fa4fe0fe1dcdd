"""Checking a model's quoted evidence: in the answer, not copied from the question, not
addressed to the grader."""

from __future__ import annotations

import re
from typing import Any

from bot.assessment import llm_prompt
from bot.assessment.text import fold
from bot.content.schema import Criterion


class InvalidGrade(ValueError):
    """The model's output does not fit the rubric, or its evidence is not in the answer."""


_ELLIPSIS = re.compile(r"\.{3,}")
_EDGES = " \t\n\"'`«».,;:!?()[]{}-"
_ADDRESSED_TO_GRADER = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}"
    r"\b(?:instructions?|rubric|rules|prompt|previous|above)\b"
    r"|\b(?:award|give|assign|grant)\b[^.!?\n]{0,30}\b(?:full (?:marks|points|credit|score)"
    r"|top marks|max(?:imum)? (?:marks|points|score)|met on (?:every|all)|every criterion"
    r"|all criteria)"
    r"|\b(?:grade|score|mark)\b[^.!?\n]{0,12}\d+\s*/\s*\d+"
    r"|(?:^|[\s>])(?:system|assistant|developer)\s*:"
    r"|<\s*/?\s*(?:learner_answer|answer|system|instructions?)\b"
)
"""Evidence that talks to the grader rather than about the question is an injection that worked."""


def plain(text: str) -> str:
    """Light normalisation for matching quotes: case, typographic quotes, whitespace,
    invisible characters, and the prompt's neutralised angle brackets."""
    folded = fold(llm_prompt.neutralise(text)).replace("‹", "<").replace("›", ">")
    return " ".join(folded.split())


def _pieces(quote: str) -> list[str]:
    """A quote's parts between ellipses, without the punctuation a model adds at the edges."""
    parts = (" ".join(p.strip(_EDGES).split()) for p in _ELLIPSIS.split(plain(quote)))
    return [p for p in parts if p]


def _within(pieces: list[str], text: str) -> bool:
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def checked_evidence(
    criterion: Criterion, level: str, given: Any, answer: str, shown: str
) -> list[str]:
    """The criterion's quotes, checked: each one in the answer, none addressed to the grader,
    and some not merely copied from the question or rubric unless the level is the lowest."""
    if not isinstance(given, list) or not all(isinstance(q, str) for q in given):
        raise InvalidGrade(f"no evidence list for '{criterion.id}'")
    quoted, own = False, []
    for quote in given:
        pieces = _pieces(quote)
        if not pieces:
            continue
        quoted = True
        if not _within(pieces, answer):
            raise InvalidGrade(
                f"evidence for '{criterion.id}' is not in the answer: {quote[:60]!r}"
            )
        if _ADDRESSED_TO_GRADER.search(" ".join(pieces)):
            raise InvalidGrade(f"evidence for '{criterion.id}' is addressed to the grader")
        if not _within(pieces, shown):
            own.append(quote.strip()[:300])
    if level != criterion.levels[0].id and not own:
        where = "beyond the question and rubric" if quoted else "from the answer"
        raise InvalidGrade(f"level '{level}' for '{criterion.id}' has no evidence {where}")
    return own[: llm_prompt.MAX_QUOTES]
