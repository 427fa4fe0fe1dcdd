"""Question-agnostic features of a free-text answer: how it compares with the references."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

from bot.assessment.text import NEGATIONS, STOP_WORDS, content_stems, fold, stem, words
from bot.content.schema import Criterion, FreeText, Portfolio

BASE = (
    "recall",
    "novel_recall",
    "precision",
    "fuzzy_recall",
    "bigram_recall",
    "char_cosine",
    "length_ratio",
    "question_share",
    "novel_share",
    "function_ratio",
    "negation_gap",
    "repetition",
    "log_words",
)
"""Features that need only the question, its references and key concepts."""
EXAMPLES = ("best_pass", "best_fail", "neighbours", "pass_prior")
"""Features from answers to the same question that people have already scored."""


@dataclass(frozen=True)
class Example:
    """An answer to the same question and whether it passed, as a person decided."""

    text: str
    passed: bool


@dataclass(frozen=True)
class Context:
    """What the answer is compared with: the question, its references and key concepts."""

    prompt: str
    references: tuple[str, ...]
    concepts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default=(), compare=False)


@lru_cache(maxsize=4096)
def _profile(text: str) -> Profile:
    return Profile(text)


class Profile:
    """The tokens of one text in the forms the features compare (computed once per text)."""

    def __init__(self, text: str) -> None:
        self.words = words(text)
        self.stems = [stem(w) for w in self.words if w not in STOP_WORDS]
        self.stem_set = frozenset(self.stems)
        self.bigrams = frozenset(zip(self.stems, self.stems[1:], strict=False))
        folded = " " + " ".join(self.words) + " "
        grams: Counter[str] = Counter()
        for n in (3, 4, 5):
            grams.update(folded[i : i + n] for i in range(len(folded) - n + 1))
        self.grams = grams
        self.norm = math.sqrt(sum(v * v for v in grams.values())) or 1.0
        self.negations = sum(w in NEGATIONS or w.endswith("n't") for w in self.words)


def profile(text: str) -> Profile:
    return _profile(text)


def cosine(a: Profile, b: Profile) -> float:
    small, large = (a, b) if len(a.grams) < len(b.grams) else (b, a)
    other = large.grams
    dot = sum(v * other[g] for g, v in small.grams.items() if g in other)
    return dot / (a.norm * b.norm)


def _share(part: AbstractSet[Hashable], whole: AbstractSet[Hashable]) -> float:
    return len(part & whole) / len(whole) if whole else 0.0


def _fuzzy_share(answer: Profile, stems: frozenset[str]) -> float:
    """Share of `stems` the answer has, a misspelt long word counting (prefix of 5 letters)."""
    if not stems:
        return 0.0
    prefixes = {s[:5] for s in answer.stem_set if len(s) >= 5}
    hits = sum(s in answer.stem_set or (len(s) >= 5 and s[:5] in prefixes) for s in stems)
    return hits / len(stems)


def concept_share(answer: Profile, concepts: Sequence[str]) -> float:
    """Share of key concepts the answer mentions (most content words of one alternative)."""
    if not concepts:
        return 0.0
    found = 0
    for concept in concepts:
        alternatives = [set(content_stems(alt)) for alt in concept.split("|")]
        if any(alt and len(alt & answer.stem_set) / len(alt) >= 0.6 for alt in alternatives):
            found += 1
    return found / len(concepts)


def base_features(context: Context, answer: str) -> dict[str, float]:
    """The question-agnostic features, best over the references where there are several."""
    a = profile(answer)
    q = profile(context.prompt)
    refs = [profile(r) for r in context.references] or [q]
    given = q.stem_set
    n = len(a.stems)
    best: dict[str, float] = {}
    for r in refs:
        novel = r.stem_set - given or r.stem_set
        values = {
            "recall": _share(a.stem_set, r.stem_set),
            "novel_recall": _share(a.stem_set, frozenset(novel)),
            "precision": _share(r.stem_set | given, a.stem_set),
            "fuzzy_recall": _fuzzy_share(a, r.stem_set),
            "bigram_recall": _share(a.bigrams, r.bigrams),
            "char_cosine": cosine(a, r),
            "length_ratio": math.log((n + 1) / (len(r.stems) + 1)),
            "negation_gap": float(bool(a.negations) != bool(r.negations)),
        }
        for key, value in values.items():
            if key not in best or (
                key != "length_ratio" and key != "negation_gap" and value > best[key]
            ):
                best[key] = value
    novel_words = [s for s in a.stems if s not in given]
    best |= {
        "concepts": concept_share(a, context.concepts),
        "question_share": _share(a.stem_set, given) if given else 0.0,
        "novel_share": len(novel_words) / n if n else 0.0,
        "function_ratio": (len(a.words) - n) / len(a.words) if a.words else 0.0,
        "repetition": 1 - len(a.stem_set) / n if n else 0.0,
        "log_words": math.log1p(len(a.words)),
    }
    return {name: round(best[name], 6) for name in BASE}


def similarity(a: Profile, b: Profile) -> float:
    """How alike two answers are: the mean of character and content-word similarity."""
    union = a.stem_set | b.stem_set
    jaccard = len(a.stem_set & b.stem_set) / len(union) if union else 0.0
    return (cosine(a, b) + jaccard) / 2


@lru_cache(maxsize=4096)
def _text_similarity(answer: str, other: str) -> float:
    """`similarity` of two texts, kept: each criterion compares an answer with the same
    scored answers."""
    return similarity(profile(answer), profile(other))


def example_features(examples: Sequence[Example], answer: str, k: int = 5) -> dict[str, float]:
    """How close the answer is to scored answers that passed and to ones that did not."""
    scored = sorted(
        ((_text_similarity(answer, e.text), e.passed) for e in examples if e.text.strip()),
        reverse=True,
    )
    passes = [s for s, ok in scored if ok]
    fails = [s for s, ok in scored if not ok]
    near = scored[:k]
    weight = sum(s for s, _ in near) + 1e-6
    vote = sum(s for s, ok in near if ok) / weight if near else 0.5
    prior = (len(passes) + 1) / (len(scored) + 2)
    return {
        "best_pass": round(max(passes, default=0.0), 6),
        "best_fail": round(max(fails, default=0.0), 6),
        "neighbours": round(vote, 6),
        "pass_prior": round(prior, 6),
    }


_CLAUSE = re.compile(r"[.;:!?,]|\b(?:but|because|so|although|while|whereas|which)\b")


def negated_concepts(answer: str, concepts: Sequence[str], references: Sequence[str]) -> list[str]:
    """Key concepts the answer negates (a negation up to three words before) and the
    references do not: "you should not use parameterised queries"."""
    out = []
    for concept in concepts:
        stems = _concept_stems(concept)
        if not stems:
            continue
        if _negates(answer, stems) and not _references_negate(tuple(references), concept):
            out.append(concept)
    return out


@lru_cache(maxsize=4096)
def _concept_stems(concept: str) -> frozenset[str]:
    """The content stems of every alternative of a key concept."""
    return frozenset(s for alt in concept.split("|") for s in content_stems(alt))


@lru_cache(maxsize=4096)
def _references_negate(references: tuple[str, ...], concept: str) -> bool:
    """Whether any reference answer itself negates the concept."""
    stems = _concept_stems(concept)
    return any(_negates(r, stems) for r in references)


@lru_cache(maxsize=1024)
def _negated_stems(text: str) -> frozenset[str]:
    """Stems of the content words with a negation up to three words before, in one clause."""
    negated = set()
    for clause in _CLAUSE.split(fold(text)):
        tokens = words(clause)
        for i, token in enumerate(tokens):
            if token not in STOP_WORDS:
                window = tokens[max(0, i - 3) : i]
                if any(w in NEGATIONS or w.endswith("n't") for w in window):
                    negated.add(stem(token))
    return frozenset(negated)


def _negates(text: str, stems: AbstractSet[str]) -> bool:
    """Whether `text` negates any of `stems`."""
    return not _negated_stems(text).isdisjoint(stems)


def criterion_context(question: FreeText | Portfolio, criterion: Criterion) -> Context:
    """What one criterion is judged against: the reference sentences about it (all of each
    reference when none are), and its key concepts that the question does not already name."""
    references = getattr(question, "reference_answers", []) or []
    return _criterion_context(
        question.prompt,
        tuple(references),
        criterion.title,
        criterion.description,
        tuple(criterion.key_concepts),
    )


@lru_cache(maxsize=1024)
def _criterion_context(
    prompt: str,
    references: tuple[str, ...],
    title: str,
    description: str,
    key_concepts: tuple[str, ...],
) -> Context:
    """`criterion_context` from the texts it reads, worked out once per criterion."""
    given = set(content_stems(prompt))
    cue = set(content_stems(" ".join([title, *key_concepts])))
    passages = []
    for reference in references:
        sentences = [s for s in re.split(r"(?<=[.!?;])\s+", reference.strip()) if s]
        picked = [s for s in sentences if cue & set(content_stems(s))]
        passages.append(" ".join(picked) if picked else reference)
    concepts = tuple(
        c for c in key_concepts if not all(set(content_stems(alt)) <= given for alt in c.split("|"))
    )
    if not passages:  # no reference answer: what the rubric says a good answer holds
        passages.append(". ".join([description, *key_concepts]))
    return Context(prompt, tuple(passages), concepts)
