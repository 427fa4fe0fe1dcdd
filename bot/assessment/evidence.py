"""What an answer shows for each rubric criterion: concepts found, required terms, similarity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def _alternatives(concept: str) -> tuple[tuple[str, ...], ...]:
    """The content stems of each alternative of a key concept (`a|b`) that has some."""
    return tuple(stems for alt in concept.split("|") if (stems := tuple(content_stems(alt))))


def concept_match(vocabulary: Vocabulary, concept: str) -> bool:
    """A concept is mentioned when most of the content words of one alternative appear."""
    return any(vocabulary.share(alt) >= 0.6 for alt in _alternatives(concept))


def _restates(concept: str, given: AbstractSet[str]) -> bool:
    """Concepts the question itself names are no evidence: repeating them is easy."""
    return all(set(alt) <= given for alt in _alternatives(concept))


@lru_cache(maxsize=1024)
def _term_forms(term: str) -> tuple[tuple[re.Pattern[str] | None, tuple[str, ...]], ...]:
    """Per alternative of a required term: a pattern for it as a whole word, and its stems."""
    forms = []
    for alternative in term.split("|"):
        alt = fold(alternative).strip()
        whole = re.compile(rf"(?<!\w){re.escape(alt)}(?!\w)") if alt else None
        forms.append((whole, tuple(content_stems(alt))))
    return tuple(forms)


def _term_present(folded: str, stems: AbstractSet[str], term: str) -> bool:
    """Whether the answer (`folded`, with content stems `stems`) has one alternative of `term`."""
    for whole, alt_stems in _term_forms(term):
        if whole is not None and whole.search(folded):
            return True
        if alt_stems and all(s in stems for s in alt_stems):
            return True
    return False


_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


@lru_cache(maxsize=1024)
def _prompt_stems(prompt: str) -> frozenset[str]:
    """What the question itself says: repeating it is no evidence."""
    return frozenset(content_stems(prompt))


@lru_cache(maxsize=1024)
def _passages(
    prompt: str, title: str, key_concepts: tuple[str, ...], references: tuple[str, ...]
) -> tuple[tuple[str, ...], ...]:
    """Per reference, the stems of its sentences about this criterion (all of it if none
    are), without those the question gives (unless that leaves none)."""
    given = _prompt_stems(prompt)
    cue = set(content_stems(" ".join([title, *key_concepts])))
    passages = []
    for reference in references:
        picked = [s for s in _sentences(reference) if cue & set(content_stems(s))]
        stems = content_stems(" ".join(picked) if picked else reference)
        passages.append(tuple([s for s in stems if s not in given] or stems))
    return tuple(passages)


def _similarity(vocabulary: Vocabulary, passages: Sequence[Sequence[str]]) -> float:
    best = 0.0
    for novel in passages:
        best = max(best, vocabulary.share(novel))
    return best


@lru_cache(maxsize=1024)
def _topic(
    prompt: str, criteria: tuple[tuple[str, tuple[str, ...]], ...], references: tuple[str, ...]
) -> frozenset[str]:
    """The content stems of the question, of each criterion (its description and key
    concepts) and of the references: an answer with none of them is off topic."""
    topic = set(_prompt_stems(prompt))
    for description, key_concepts in criteria:
        topic |= set(content_stems(" ".join([description, *key_concepts])))
    for reference in references:
        topic |= set(content_stems(reference))
    return frozenset(topic)


def gather(
    prompt: str, criteria: Sequence[Criterion], references: Sequence[str], answer: str
) -> AnswerEvidence:
    """Evidence for every criterion; deterministic for the same inputs."""
    vocabulary = Vocabulary(answer)
    folded = fold(answer)
    given = _prompt_stems(prompt)
    refs = tuple(references)
    results = []
    for criterion in criteria:
        key_concepts = tuple(criterion.key_concepts)
        matched = {c: concept_match(vocabulary, c) for c in key_concepts}
        concepts = [c for c in key_concepts if not _restates(c, given)]
        found = tuple(c for c in concepts if matched[c])
        missing = tuple(c for c in concepts if c not in found)
        terms = criterion.required_terms
        present = [t for t in terms if _term_present(folded, vocabulary.stems, t)]
        absent = tuple(t for t in terms if t not in present)
        passages = _passages(prompt, criterion.title, key_concepts, refs)
        results.append(
            CriterionEvidence(
                criterion.id,
                found,
                missing,
                len(present),
                len(terms),
                absent,
                _similarity(vocabulary, passages) if references else 0.0,
                tuple(c for c in key_concepts if not matched[c]),
            )
        )
    topic = _topic(prompt, tuple((c.description, tuple(c.key_concepts)) for c in criteria), refs)
    on_topic = any(vocabulary.has(s) for s in topic)
    return AnswerEvidence(len(content_stems(answer)), on_topic, tuple(results))
