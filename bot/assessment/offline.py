"""The offline rubric scorer: a fitted classifier judges each criterion; gaming scores nothing.

Per criterion, question-agnostic features of the answer (similarity to the reference
sentences about it, by several measures, length, novelty, function words, negation) go
into a logistic model (`model.py`; the fitted file is `fitted/default.json`). Answers
people already scored for the same question, when there are enough, add nearest-neighbour
features. Keyword salads,
copies and padding get the lowest level; negated key concepts and probabilities close to
the decision line make the score provisional: status `pending`, for a person to decide.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.assessment.evidence import AnswerEvidence, CriterionEvidence, gather
from bot.assessment.features import (
    Example,
    base_features,
    criterion_context,
    example_features,
    negated_concepts,
    profile,
)
from bot.assessment.gaming import gaming_reason
from bot.assessment.model import LinearModel, Models, default_models
from bot.assessment.score import Score
from bot.assessment.text import STOP_WORDS, content_stems, stem, words
from bot.content.schema import Criterion, FreeText, Level, Portfolio, Rubric
from storage.models import AttemptStatus

SCORER = "offline"
MIN_WORDS = 1
"""Fewer content words than this scores the lowest level everywhere."""


@dataclass(frozen=True)
class Scored:
    """An answer a person scored for the same question: its text, points and levels."""

    text: str
    passed: bool
    levels: dict[str, str]


def _names(text: str, hidden: Sequence[str]) -> bool:
    """Whether `text` has any word of a hidden concept (stem or prefix: context, contextual)."""
    tokens = [w for w in words(text) if w not in STOP_WORDS]
    mine = {stem(w) for w in tokens}
    for concept in hidden:
        for part in content_stems(concept.replace("|", " ")):
            if part in mine or (len(part) >= 4 and any(w.startswith(part) for w in tokens)):
                return True
    return False


_BREAK = re.compile(r":|;|\(| such as | e\.g\.| - ")
_NEW_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


@lru_cache(maxsize=4096)
def _safe(text: str, hidden: tuple[str, ...]) -> str:
    """The first sentence of a description, cut before the first part that names one of
    `hidden` (what the answer still lacks), so that feedback never hands out those words."""
    sentence = _NEW_SENTENCE.split(" ".join(text.split()))[0]
    cuts = [0, *(m.start() for m in _BREAK.finditer(sentence)), len(sentence)]
    end = len(sentence)
    for start, stop in itertools.pairwise(cuts):
        if _names(sentence[start:stop], hidden):
            end = start
            break
    kept = sentence[:end]
    if kept.count("(") > kept.count(")"):
        kept = kept[: kept.rindex("(")]
    kept = kept.rstrip(" ,;:(-").rstrip(".").strip()
    return kept if len(kept.split()) >= 4 else ""


def criterion_line(criterion: Criterion, level: Level, ev: CriterionEvidence | None) -> str:
    """One line of feedback: the level and, in the rubric's words, what a strong answer does.

    Never lists the key concepts the answer used or the ones it lacks."""
    top = criterion.levels[-1]
    reached = level.id == top.id
    mark = "✅" if reached else ("🟡" if level.points > criterion.levels[0].points else "❌")
    line = f"{mark} **{criterion.title}**: {level.label}."
    if ev is None:
        return line
    hidden = (*criterion.key_concepts, *criterion.required_terms)  # found or not
    said = _safe(level.description, hidden) if level.description else ""
    if said:
        line += f" {said}."
    if not reached:
        hint = next(
            (h for text in (top.description, criterion.description) if (h := _safe(text, hidden))),
            "",
        )
        line += (
            f" A strong answer: {hint[0].lower() + hint[1:]}."
            if hint
            else " Look again at what the lesson says about this."
        )
    return line


def rubric_score(
    rubric: Rubric,
    levels: dict[str, Level],
    lines: Sequence[str],
    scorer: str,
    details: dict[str, Any],
) -> Score:
    points = round(sum(level.points for level in levels.values()), 4)
    return Score(
        points,
        rubric.max_points,
        AttemptStatus.SCORED,
        points + 1e-9 >= rubric.pass_mark,
        tuple(lines),
        scorer,
        {cid: level.id for cid, level in levels.items()},
        details,
    )


def scoreable(question: FreeText | Portfolio) -> bool:
    """Whether the rubric gives the offline scorer evidence to look for in every criterion."""
    if getattr(question, "reference_answers", None):
        return True
    return all(c.key_concepts or c.required_terms for c in question.rubric.criteria)


def level_index(criterion: Criterion, p: float, model: LinearModel, ev: CriterionEvidence) -> int:
    """The top level from the threshold on; below it, the lower levels share the range."""
    top = len(criterion.levels) - 1
    index = top if p >= model.threshold else min(top - 1, int(p / model.threshold * top))
    if ev.terms_total:
        if ev.terms_found == 0:
            index = 0
        elif ev.terms_found < ev.terms_total:
            index = min(index, top - 1)
    return max(0, index)


def _examples_for(criterion: Criterion, scored: Sequence[Scored]) -> list[Example]:
    top = criterion.levels[-1].id
    return [
        Example(s.text, s.levels[criterion.id] == top if criterion.id in s.levels else s.passed)
        for s in scored
    ]


class OfflineRubricScorer:
    """Deterministic: the same answer with the same scored examples gets the same score."""

    def __init__(self, models: Models | None = None) -> None:
        self.models = models or default_models()

    def probabilities(
        self, question: FreeText | Portfolio, answer: str, scored: Sequence[Scored] = ()
    ) -> tuple[dict[str, float], LinearModel]:
        """P(meets the criterion) for each criterion, and the model that gave them."""
        model = self.models.pick(len(scored))
        out = {}
        for criterion in question.rubric.criteria:
            values = base_features(criterion_context(question, criterion), answer)
            if model is not self.models.base:
                examples = _examples_for(criterion, scored)
                values |= example_features(examples, answer)
                values["log_examples"] = math.log1p(len(examples))
            out[criterion.id] = model.probability(values)
        return out, model

    def score(
        self,
        question: FreeText | Portfolio,
        answer: str,
        *,
        scored: Sequence[Scored] = (),
        sources: Sequence[str] = (),
    ) -> Score:
        """Score `answer`; `scored` are answers people scored for this question, `sources`
        the lesson text the learner read (an answer copied from it scores nothing)."""
        rubric = question.rubric
        references = list(getattr(question, "reference_answers", []) or [])
        evidence = gather(question.prompt, rubric.criteria, references, answer)
        explanation = getattr(question, "explanation", "") or ""
        gaming = gaming_reason(question.prompt, references, [*sources, explanation], answer)
        probabilities, model = self.probabilities(question, answer, scored)
        mine = profile(answer).stem_set
        on_topic = evidence.on_topic or any(
            mine & profile(s.text).stem_set for s in scored if s.passed
        )
        empty = evidence.words < MIN_WORDS or not on_topic or gaming is not None
        levels: dict[str, Level] = {}
        for criterion, ev in zip(rubric.criteria, evidence.criteria, strict=True):
            index = 0 if empty else level_index(criterion, probabilities[criterion.id], model, ev)
            levels[criterion.id] = criterion.levels[index]
        lines = [
            criterion_line(c, levels[c.id], ev)
            for c, ev in zip(rubric.criteria, evidence.criteria, strict=True)
        ]
        details: dict[str, Any] = {
            "probability": {k: round(v, 4) for k, v in probabilities.items()},
            "threshold": model.threshold,
            "examples": len(scored),
        }
        if evidence.words < MIN_WORDS:
            lines.insert(0, "Your answer is too short to show the points the rubric looks for.")
        elif not on_topic:
            lines.insert(0, "Your answer does not seem to address this question.")
        elif gaming is not None:
            details["gaming"] = gaming
            lines.insert(
                0,
                f"Your answer {gaming}, so it cannot meet the criteria: explain in a few "
                "sentences of your own.",
            )
        score = rubric_score(rubric, levels, lines, SCORER, details)
        why = (
            None
            if empty
            else self._review_reason(question, evidence, levels, probabilities, model, answer)
        )
        if why is None:
            return score
        details |= {"provisional": True, "review_reason": why, "reason": f"offline scorer: {why}"}
        return Score(
            score.points,
            score.max_points,
            AttemptStatus.PENDING,
            score.correct,
            (*score.feedback, "A person will check this score before it counts."),
            score.scorer,
            score.levels,
            details,
        )

    def _review_reason(
        self,
        question: FreeText | Portfolio,
        evidence: AnswerEvidence,
        levels: dict[str, Level],
        probabilities: dict[str, float],
        model: LinearModel,
        answer: str,
    ) -> str | None:
        """Why a person should decide: a negated key concept the answer got credit near,
        or a probability so close to the line that passing depends on it."""
        references = list(getattr(question, "reference_answers", []) or [])
        for criterion in question.rubric.criteria:
            if levels[criterion.id].id == criterion.levels[0].id:
                continue
            if negated_concepts(answer, criterion.key_concepts, references):
                return "negation near a key concept"
        passing = sum(lvl.points for lvl in levels.values()) + 1e-9 >= question.rubric.pass_mark
        for criterion, ev in zip(question.rubric.criteria, evidence.criteria, strict=True):
            p = probabilities[criterion.id]
            if not model.unsure(p):
                continue
            other = dict(levels)
            flipped = model.threshold if p < model.threshold else model.threshold - 1e-6
            other[criterion.id] = criterion.levels[level_index(criterion, flipped, model, ev)]
            if (
                sum(lvl.points for lvl in other.values()) + 1e-9 >= question.rubric.pass_mark
            ) != passing:
                return "the score is too close to the pass line to call"
        return None
