"""The scoring seam: how an answer becomes a Score (exact, offline rubric, language model)."""

from __future__ import annotations

from typing import Any, Protocol

from bot.assessment.exact import score_answer
from bot.assessment.examples import ExampleSource
from bot.assessment.llm import LlmRubricScorer, ModelGrade
from bot.assessment.offline import OfflineRubricScorer, criterion_line, rubric_score, scoreable
from bot.assessment.score import Score
from bot.content import Program
from bot.content.schema import FreeText, Question
from bot.core.text import escape_markdown, shorten
from storage.models import AttemptStatus

MARGIN = 0.25
"""Model and offline scores further apart than this share of the points need a reviewer."""


class Scorer(Protocol):
    async def score(self, program: Program, question: Question, response: Any) -> Score: ...

    def disclosure(self, program: Program, question: Question) -> str:
        """What a learner must know before answering (where their answer is sent), or ""."""
        ...


class ExactScorer:
    """Exact scorers for closed questions; rubric questions wait for review."""

    async def score(self, program: Program, question: Question, response: Any) -> Score:
        return score_answer(question, response)

    def disclosure(self, program: Program, question: Question) -> str:
        return ""


def _model_score(question: FreeText, grade: ModelGrade) -> Score:
    rubric = question.rubric
    levels = {
        c.id: next(lvl for lvl in c.levels if lvl.id == grade.levels[c.id]) for c in rubric.criteria
    }
    lines = []
    for criterion in rubric.criteria:
        line = criterion_line(criterion, levels[criterion.id], None)
        said = grade.feedback.get(criterion.id, "").strip()
        lines.append(f"{line} {escape_markdown(shorten(said, 300))}" if said else line)
    score = rubric_score(rubric, levels, lines, "llm", {})
    points = min(max(score.points or 0.0, 0.0), rubric.max_points)  # clamped, whatever happened
    return Score(
        points,
        score.max_points,
        AttemptStatus.SCORED,
        score.correct,
        score.feedback,
        "llm",
        score.levels,
    )


class RubricScoring:
    """Closed questions exactly; free text offline, or with a model where a program opts in.

    The offline scorer learns from answers people scored for the same question when given
    an `examples` source (`ReviewedExamples` reads them from the database).
    When the model answers, its score stands; when it fails, the offline score stands.
    A failure, or a gap wider than `margin` of the points, makes the score provisional:
    status `pending` with points, shown as such and queued for a reviewer. Portfolios wait
    for peer review.
    """

    def __init__(
        self,
        offline: OfflineRubricScorer | None = None,
        llm: LlmRubricScorer | None = None,
        *,
        margin: float = MARGIN,
        examples: ExampleSource | None = None,
    ) -> None:
        self.offline = offline or OfflineRubricScorer()
        self.llm = llm
        self.margin = margin
        self.examples = examples

    def uses_model(self, program: Program, question: Question) -> bool:
        return self.llm is not None and program.meta.llm_scoring and isinstance(question, FreeText)

    def disclosure(self, program: Program, question: Question) -> str:
        if not self.uses_model(program, question):
            return ""
        assert self.llm is not None
        return (
            f"🔒 This answer is scored with a language model: what you write here is sent to "
            f"{self.llm.provider} (without your name). Leave out personal details."
        )

    async def score(self, program: Program, question: Question, response: Any) -> Score:
        if not isinstance(question, FreeText):
            return score_answer(question, response)
        text = str(response)
        offline = await self._offline(program, question, text) if scoreable(question) else None
        if not self.uses_model(program, question):
            return offline or score_answer(question, response)
        assert self.llm is not None
        grade = await self.llm.grade(question, text)
        return self._reconcile(question, offline, grade)

    async def _offline(self, program: Program, question: FreeText, text: str) -> Score:
        scored = await self.examples.scored(program, question) if self.examples else ()
        lessons = [page for lesson in program.lessons.values() for page in lesson.pages]
        return self.offline.score(question, text, scored=scored, sources=lessons)

    def _reconcile(self, question: FreeText, offline: Score | None, grade: ModelGrade) -> Score:
        details: dict[str, Any] = {"llm": dict(grade.usage)}
        if offline is not None:
            details["offline"] = {"points": offline.points, "levels": offline.levels}
            details["strength"] = offline.details.get("strength", {})
        stands: Score | None
        if grade.ok:
            stands = _model_score(question, grade)
            details["llm"] |= {"points": stands.points, "levels": stands.levels}
            gap = abs((stands.points or 0) - (offline.points or 0)) if offline else 0.0
            provisional = gap > self.margin * question.rubric.max_points + 1e-9
            reason = (
                f"the model gave {stands.points:g} and the offline scorer "
                f"{offline.points if offline else 0:g} of {question.rubric.max_points:g} points"
                if provisional
                else ""
            )
        else:
            stands, provisional = offline, True
            details["llm"]["error"] = grade.error
            reason = f"the model gave no usable score ({grade.error})"
        if stands is None:  # no model score and nothing to score offline: a person scores it
            waiting = score_answer(question, "")
            return Score(
                None,
                waiting.max_points,
                AttemptStatus.PENDING,
                None,
                (),
                waiting.scorer,
                {},
                details,
            )
        details |= {"provisional": provisional, "reason": reason, "stood": stands.scorer}
        return Score(
            stands.points,
            stands.max_points,
            AttemptStatus.PENDING if provisional else AttemptStatus.SCORED,
            stands.correct,
            stands.feedback,
            stands.scorer,
            stands.levels,
            details,
        )
