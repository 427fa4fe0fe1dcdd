"""Answers that only look like answers: keyword salads, copies, pastes and padding."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from bot.assessment.features import profile
from bot.assessment.text import STOP_WORDS, words

SALAD_WORDS = 6
"""From this many words on, an answer with almost no function words is a list, not a reply."""
SALAD_FUNCTION_RATIO = 0.12
SALAD_RUN = 7
"""This many words in a row without a function word are a keyword list, not a sentence."""
REPEAT_SHARE = 1 / 3
"""One content word making up this share of a longer answer is padding."""
SHINGLE = 6
"""Words in a row that count as copied when they also occur in the lesson."""


def _shingles(tokens: Sequence[str], n: int = SHINGLE) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@lru_cache(maxsize=256)
def _question_runs(prompt: str) -> frozenset[tuple[str, ...]]:
    """The question's runs of three words."""
    return frozenset(_shingles(words(prompt), 3))


@lru_cache(maxsize=32)
def _source_runs(sources: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The runs of `SHINGLE` words of all the sources, built once per set of sources."""
    return frozenset().union(*(_shingles(words(source)) for source in sources))


@lru_cache(maxsize=256)
def _reference_summary(references: tuple[str, ...]) -> tuple[int, frozenset[str]]:
    """Words in the longest reference, and the stems of all of them."""
    longest = max((len(words(r)) for r in references), default=0)
    return longest, frozenset().union(*(profile(r).stem_set for r in references))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text.strip()) if s.strip()]


def repeated(answer: str) -> bool:
    """Padding: a word three times in a row, a phrase repeated over and over, or one word
    making up a third of a longer answer."""
    tokens = words(answer)
    if any(a == b == c for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)):
        return True
    stems = profile(answer).stems
    if len(stems) < SALAD_WORDS:
        return False
    phrases = Counter(itertools.pairwise(stems))
    top = Counter(stems).most_common(1)[0][1]
    varied = len(set(stems)) / len(stems)
    if phrases.most_common(1)[0][1] >= 3 and varied < 0.5:
        return True
    return top >= 4 and top / len(stems) >= REPEAT_SHARE


def salad(answer: str) -> bool:
    """Keywords strung together: hardly a function word, or a long run without one."""
    tokens = words(answer)
    if len(tokens) < SALAD_WORDS:
        return False
    function = sum(t in STOP_WORDS for t in tokens)
    if function / len(tokens) < SALAD_FUNCTION_RATIO:
        return True
    longest = 0
    for sentence in _CLAUSE_BREAK.split(answer):  # keywords strung on after a sentence
        run = 0
        for token in words(sentence):
            run = 0 if token in STOP_WORDS else run + 1
            longest = max(longest, run)
    return longest >= SALAD_RUN


def copies_question(prompt: str, answer: str) -> bool:
    """The question, or most of it, handed back with hardly a word of its own."""
    tokens, given = words(answer), words(prompt)
    if len(tokens) < 4 or not given:
        return False
    runs = [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]
    given_runs = _question_runs(prompt)
    copied = sum(run in given_runs for run in runs) / len(runs)
    novel = profile(answer).stem_set - profile(prompt).stem_set
    return copied >= 0.6 and len(novel) <= max(1, len(tokens) // 8)


def copies_sources(sources: Sequence[str], answer: str) -> bool:
    """Mostly lesson text pasted in: most of the answer's word runs occur in the lesson."""
    tokens = words(answer)
    if len(tokens) < 2 * SHINGLE or not sources:
        return False
    mine = _shingles(tokens)
    theirs = _source_runs(tuple(sources))
    return len(mine & theirs) / len(mine) >= 0.5


def mostly_off_point(references: Sequence[str], answer: str) -> bool:
    """Very long, with only a small part of it about what the references say."""
    longest, ref_stems = _reference_summary(tuple(references))
    tokens = words(answer)
    if not longest or len(tokens) < max(80, 2.5 * longest):
        return False
    sentences = _sentences(answer)
    relevant = sum(len(profile(s).stem_set & ref_stems) >= 2 for s in sentences)
    return relevant / max(1, len(sentences)) < 0.4


def gaming_reason(
    prompt: str, references: Sequence[str], sources: Sequence[str], answer: str
) -> str | None:
    """Why the answer cannot meet any criterion however many right words it holds, or None."""
    if repeated(answer):
        return "repeats the same words"
    if copies_question(prompt, answer):
        return "repeats the question"
    if copies_sources(sources, answer):
        return "copies the lesson text"
    if mostly_off_point(references, answer):
        return "is mostly text that does not answer the question"
    if salad(answer):
        return "is a list of keywords rather than sentences"
    return None
