"""What an answer shows for each rubric criterion: concepts found, required terms, similarity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.assessment.text import content_stems, fold
from bot.content.schema import Criterion

FUZZY = 85.0
"""Token similarity (percent) at which a misspelt word still counts (words of 5+ letters)."""


@dataclass(frozen=True)
class CriterionEvidence:
    criterion_id: str
    found: tuple[str, ...]
    """Key concepts the answer mentions."""
    missing: tuple[str, ...]
    terms_found: int
    terms_total: int
    missing_terms: tuple[str, ...]
    similarity: float
    """Share of the matching reference passage's content words the answer contains."""
    unmentioned: tuple[str, ...] = ()
    """Every key concept the answer does not mention, the question's own included."""


@dataclass(frozen=True)
class AnswerEvidence:
    words: int
    """Content words in the answer."""
    on_topic: bool
    """Whether the answer shares any content word with the question, rubric or references."""
    criteria: tuple[CriterionEvidence, ...]


class Vocabulary:
    """The answer's stems, matched exactly or, for longer words, despite a typo."""

    def __init__(self, text: str) -> None:
        self.stems = set(content_stems(text))
        self.long = [s for s in self.stems if len(s) >= 5]

    def has(self, stem: str) -> bool:
        if stem in self.stems:
            return True
        if len(stem) < 5 or not self.long:
            return False
        return (
            process.extractOne(stem, self.long, scorer=fuzz.ratio, score_cutoff=FUZZY) is not None
        )

    def share(self, stems: Sequence[str]) -> float:
        unique = set(stems)
        return sum(self.has(s) for s in unique) / len(unique) if unique else 0.0


def _alternatives(concept: str) -> list[list[str]]:
    return [stems for alt in concept.split("|") if (stems := content_stems(alt))]


def concept_match(vocabulary: Vocabulary, concept: str) -> bool:
    """A concept is mentioned when most of the content words of one alternative appear."""
    return any(vocabulary.share(alt) >= 0.6 for alt in _alternatives(concept))


def _restates(concept: str, given: set[str]) -> bool:
    """Concepts the question itself names are no evidence: repeating them is easy."""
    return all(set(alt) <= given for alt in _alternatives(concept))


def _term_present(answer: str, term: str) -> bool:
    folded = fold(answer)
    for alternative in term.split("|"):
        alt = fold(alternative).strip()
        if alt and re.search(rf"(?<!\w){re.escape(alt)}(?!\w)", folded):
            return True
        stems = content_stems(alt)
        if stems and all(s in set(content_stems(answer)) for s in stems):
            return True
    return False


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+", text.strip()) if s]


def _passage_for(criterion: Criterion, references: Sequence[str]) -> list[list[str]]:
    """The reference sentences about this criterion (all of each reference if none are)."""
    cue = set(content_stems(" ".join([criterion.title, *criterion.key_concepts])))
    passages = []
    for reference in references:
        picked = [s for s in _sentences(reference) if cue & set(content_stems(s))]
        passages.append(content_stems(" ".join(picked) if picked else reference))
    return passages


def _similarity(vocabulary: Vocabulary, passages: list[list[str]], given: set[str]) -> float:
    best = 0.0
    for stems in passages:
        novel = [s for s in stems if s not in given] or stems
        best = max(best, vocabulary.share(novel))
    return best


def gather(
    prompt: str, criteria: Sequence[Criterion], references: Sequence[str], answer: str
) -> AnswerEvidence:
    """Evidence for every criterion; deterministic for the same inputs."""
    vocabulary = Vocabulary(answer)
    given = set(content_stems(prompt))
    topic = set(given)
    results = []
    for criterion in criteria:
        concepts = [c for c in criterion.key_concepts if not _restates(c, given)]
        found = tuple(c for c in concepts if concept_match(vocabulary, c))
        missing = tuple(c for c in concepts if c not in found)
        present = [t for t in criterion.required_terms if _term_present(answer, t)]
        absent = tuple(t for t in criterion.required_terms if t not in present)
        passages = _passage_for(criterion, references)
        results.append(
            CriterionEvidence(
                criterion.id,
                found,
                missing,
                len(present),
                len(criterion.required_terms),
                absent,
                _similarity(vocabulary, passages, given) if references else 0.0,
                tuple(c for c in criterion.key_concepts if not concept_match(vocabulary, c)),
            )
        )
        topic |= set(content_stems(" ".join([criterion.description, *criterion.key_concepts])))
    for reference in references:
        topic |= set(content_stems(reference))
    on_topic = any(vocabulary.has(s) for s in topic)
    return AnswerEvidence(len(content_stems(answer)), on_topic, tuple(results))
