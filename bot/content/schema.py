"""Pydantic models of the program files (see docs/content-format.md)."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


DEFAULT_CADENCE = "weekdays 09:30"
"""When lessons arrive unless the program, a cohort, the learner or the enrollment says."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique(items: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise ValueError(f"duplicate {what} id '{item}'")
        seen.add(item)


# --- rubrics -----------------------------------------------------------------------


class Level(Strict):
    id: Id
    label: str
    points: float = Field(ge=0)
    description: str = ""


class Criterion(Strict):
    id: Id
    title: str
    description: str = ""
    key_concepts: list[str] = []
    required_terms: list[str] = []
    """Terms (alternatives separated by `|`) the offline scorer needs for the top level."""
    levels: list[Level] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_ordered(self) -> Criterion:
        _unique([lvl.id for lvl in self.levels], "level")
        points = [lvl.points for lvl in self.levels]
        if any(b <= a for a, b in pairwise(points)):
            raise ValueError(
                f"levels of criterion '{self.id}' must be ordered by strictly increasing "
                f"points (got {points})"
            )
        return self

    @property
    def max_points(self) -> float:
        return self.levels[-1].points


class Rubric(Strict):
    pass_mark: float = Field(ge=0)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _pass_mark_reachable(self) -> Rubric:
        _unique([c.id for c in self.criteria], "criterion")
        if self.pass_mark > self.max_points:
            raise ValueError(
                f"pass_mark {self.pass_mark:g} is more than the rubric's {self.max_points:g} points"
            )
        return self

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.criteria)


# --- questions ---------------------------------------------------------------------


class ChoiceOption(Strict):
    id: Id
    text: str
    correct: bool = False
    feedback: str = ""


_COOLDOWN = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(value: str, what: str) -> str:
    if value and not _COOLDOWN.match(value):
        raise ValueError(f"{what} {value!r} is not a duration like 30s, 10m, 2h or 1d")
    return value


def _seconds(value: str) -> int:
    found = _COOLDOWN.match(value)
    return int(found.group(1)) * _SECONDS[found.group(2)] if found else 0


class QuestionBase(Strict):
    id: Id
    prompt: str = Field(min_length=1)
    explanation: str = ""
    points: float = Field(default=1, gt=0)
    skills: list[Id] = []
    max_attempts: int = Field(default=1, ge=1, le=10)
    """Tries a learner gets at this question within one run of the quiz."""
    cooldown: str = ""
    """Wait between tries, like `30s`, `10m`, `2h` or `1d`."""
    show_answer: Literal["final", "always", "never"] = "final"
    """When the correct answer is shown: after the last try, after every try, or never.
    In a graded quiz, never while the learner has runs left (see docs/content-format.md)."""
    pool: Id | None = None
    """The pool a quiz's `draw` picks this question from (its skills serve too)."""
    always: bool = False
    """Asked in every run of a quiz that draws, outside the draw."""

    @field_validator("cooldown")
    @classmethod
    def _cooldown_format(cls, value: str) -> str:
        return _duration(value, "cooldown")

    @property
    def cooldown_seconds(self) -> int:
        return _seconds(self.cooldown)


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    options: list[ChoiceOption] = Field(min_length=2, max_length=10)
    shuffle: bool = True
    """Options are shuffled per run; `false` keeps the written order (a scale, "all of the
    above")."""

    @model_validator(mode="after")
    def _one_correct(self) -> SingleChoice:
        _unique([o.id for o in self.options], "option")
        correct = sum(o.correct for o in self.options)
        if correct != 1:
            raise ValueError(f"needs exactly one correct option (has {correct})")
        return self


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    options: list[ChoiceOption] = Field(min_length=2, max_length=10)
    shuffle: bool = True
    partial_credit: Literal["all_or_nothing", "per_option", "right_minus_wrong"] = "all_or_nothing"

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleChoice:
        _unique([o.id for o in self.options], "option")
        if not any(o.correct for o in self.options):
            raise ValueError("needs at least one correct option")
        return self


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool


class Numeric(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(default=0, ge=0)
    tolerance_percent: float | None = Field(default=None, ge=0)
    unit: str = ""


class ShortAnswer(QuestionBase):
    type: Literal["short_answer"]
    accepted: list[str] = []
    patterns: list[str] = []
    case_sensitive: bool = False
    synonyms: list[list[str]] = []
    """Groups of interchangeable words or phrases, like `[[colour, color], [e-mail, email]]`."""
    fuzzy: float = Field(default=90, ge=50, le=100)
    """Similarity (percent) at which a misspelt answer still matches; 100 turns it off."""

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a regular expression: {exc}") from exc
        return patterns

    @model_validator(mode="after")
    def _has_answer(self) -> ShortAnswer:
        if not self.accepted and not self.patterns:
            raise ValueError("needs at least one of 'accepted' or 'patterns'")
        return self


class FreeText(QuestionBase):
    type: Literal["free_text"]
    rubric: Rubric
    reference_answers: list[str] = []
    min_length: int = Field(default=1, ge=1)
    max_length: int = Field(default=2000, ge=1, le=10000)


class Anchor(Strict):
    id: Id
    submission: str
    levels: dict[str, str]


class Portfolio(QuestionBase):
    type: Literal["portfolio"]
    instructions: str
    rubric: Rubric
    anchors: list[Anchor] = []
    max_length: int = Field(default=6000, ge=1, le=20000)

    @model_validator(mode="after")
    def _anchors_match_rubric(self) -> Portfolio:
        levels = {c.id: {lvl.id for lvl in c.levels} for c in self.rubric.criteria}
        _unique([a.id for a in self.anchors], "anchor")
        for anchor in self.anchors:
            for criterion, level in anchor.levels.items():
                if criterion not in levels:
                    raise ValueError(f"anchor '{anchor.id}' names unknown criterion '{criterion}'")
                if level not in levels[criterion]:
                    raise ValueError(
                        f"anchor '{anchor.id}' names unknown level '{level}' of '{criterion}'"
                    )
        return self


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Numeric | ShortAnswer | FreeText | Portfolio,
    Field(discriminator="type"),
]
QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "numeric",
    "short_answer",
    "free_text",
    "portfolio",
)
RUBRIC_TYPES = ("free_text", "portfolio")


def max_points(question: QuestionBase) -> float:
    """Points a question is worth: its rubric's for rubric questions, else `points`."""
    rubric = getattr(question, "rubric", None)
    return rubric.max_points if isinstance(rubric, Rubric) else question.points


class Quiz(Strict):
    id: Id
    title: str
    pass_mark: float = Field(default=70, ge=0, le=100)
    questions: list[Question] = Field(min_length=1)
    draw: int | dict[Id, int] | None = None
    """How many questions a run asks: a number, or a number per pool or skill; None: all."""
    retakes: int | None = Field(default=None, ge=0, le=100)
    """How many times the quiz may be retaken after the first run; None: no limit."""
    retake_cooldown: str = ""
    """Wait between the end of one run and the start of the next, like `1h` or `1d`."""

    @field_validator("retake_cooldown")
    @classmethod
    def _retake_cooldown_format(cls, value: str) -> str:
        return _duration(value, "retake_cooldown")

    @property
    def retake_cooldown_seconds(self) -> int:
        return _seconds(self.retake_cooldown)

    @model_validator(mode="after")
    def _unique_questions(self) -> Quiz:
        _unique([q.id for q in self.questions], "question")
        self._draw_possible()
        return self

    def _draw_possible(self) -> None:
        drawn = [q for q in self.questions if not q.always]
        if isinstance(self.draw, int):
            if not 1 <= self.draw <= len(drawn):
                raise ValueError(
                    f"draw {self.draw} must be between 1 and the {len(drawn)} questions "
                    "not marked `always`"
                )
            return
        for key, count in (self.draw or {}).items():
            members = [q for q in drawn if q.pool == key or key in q.skills]
            if not members:
                raise ValueError(f"draw names '{key}', which is no question's pool or skill")
            if not 1 <= count <= len(members):
                raise ValueError(
                    f"draw {key}: {count} must be between 1 and its {len(members)} questions"
                )


# --- lessons and programs ----------------------------------------------------------


class LessonMeta(Strict):
    id: Id
    title: str
    minutes: int = Field(default=3, ge=1, le=60)
    skills: list[Id] = []


class Alignment(Strict):
    framework: str
    code: str = ""
    url: str = ""


class Skill(Strict):
    id: Id
    name: str
    alignment: Alignment | None = None


class LessonStep(Strict):
    lesson: Id


class QuizStep(Strict):
    quiz: Id


class Passing(Strict):
    quizzes: Literal["all"] | list[Id] = "all"
    pass_mark: float | None = Field(default=None, ge=0, le=100)
    """Percent of all points of the required quizzes together, on top of passing each."""


class Badge(Strict):
    name: str
    description: str
    criteria: str
    image: str = ""
    tags: list[str] = []
    expires_after_days: int | None = Field(default=None, ge=1)
    requires: list[Id] = []
    """Programs whose badges the learner must hold (valid) before this one is awarded."""


class Review(Strict):
    reviewers: int = Field(default=2, ge=1, le=5)
    """Approvals a portfolio needs; a smaller pool makes the submission wait for more."""
    min_reviewers: int | None = Field(default=None, ge=1, le=5)
    """Accept fewer approvals when no more reviewers are eligible (the badge says so)."""
    anonymous: bool = False
    remind_after_hours: float = Field(default=24, gt=0)
    """A reviewer who has not decided is reminded (inside their working hours)."""
    reassign_after_hours: float = Field(default=72, gt=0)
    escalate_after_hours: float = Field(default=120, gt=0)
    """A version still undecided then is escalated to the author's team lead."""

    @model_validator(mode="after")
    def _min_at_most_reviewers(self) -> Review:
        if self.min_reviewers is not None and self.min_reviewers > self.reviewers:
            raise ValueError(
                f"min_reviewers {self.min_reviewers} is more than reviewers {self.reviewers}"
            )
        return self


class ProgramMeta(Strict):
    id: Id
    title: str
    summary: str
    version: int = 1
    skills: list[Skill] = []
    steps: list[LessonStep | QuizStep] = Field(min_length=1)
    passing: Passing = Passing()
    cadence: str = DEFAULT_CADENCE
    badge: Badge
    llm_scoring: bool = False
    review: Review = Review()

    @model_validator(mode="after")
    def _unique_skills(self) -> ProgramMeta:
        _unique([s.id for s in self.skills], "skill")
        return self
