"""Learning records: enrollments, step progress, attempts, quiz runs and retake grants."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import Created, IntPK, Json, Key, When


class EnrollmentStatus(StrEnum):
    """Where an enrollment stands; the database allows only these."""

    ACTIVE = "active"
    PAUSED = "paused"
    """The learner paused scheduled delivery."""
    FINISHED = "finished"
    """Every step has an outcome, but the program is not complete."""
    COMPLETED = "completed"
    """Every required step passed: the program is complete."""


UNDERWAY = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
"""Enrollments still being worked through (active, or paused by the learner)."""


class Enrollment(Base):
    """A person on a program: where they are and how it is going."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("person_id", "program_id"), status_check(EnrollmentStatus))
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    program_id: Mapped[Key]
    program_hash: Mapped[str] = mapped_column(String(16))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.ACTIVE)
    cursor_step: Mapped[str | None] = mapped_column(String(140), nullable=True)
    """The step being worked on, as `lesson:ID` / `quiz:ID`; None before the first."""
    cursor_part: Mapped[int] = mapped_column(default=0)
    """Page of the lesson or question of the quiz at the cursor."""
    cursor_shown: Mapped[bool] = mapped_column(default=False)
    """Whether the item at the cursor has been shown to the learner."""
    quiz_run: Mapped[int] = mapped_column(default=0)
    cadence: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[Created]
    touched_at: Mapped[Created]
    finished_at: Mapped[When]
    completed_at: Mapped[When]


class StepStatus(StrEnum):
    """The outcome of a step; the database allows only these."""

    DONE = "done"
    """A lesson read."""
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"
    """A quiz with answers waiting for review."""


class StepProgress(Base):
    """The outcome of one step of an enrollment (a lesson read, a quiz's result)."""

    __tablename__ = "step_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "step_key"), status_check(StepStatus))
    id: Mapped[IntPK]
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    step_key: Mapped[str] = mapped_column(String(140))
    status: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(nullable=True)
    max_score: Mapped[float | None] = mapped_column(nullable=True)
    content_hash: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[Created]


class AttemptStatus(StrEnum):
    """Where an answer's score stands; the database allows only these."""

    SCORED = "scored"
    PENDING = "pending"
    """Waiting for review; with points when the score is provisional."""
    SUPERSEDED = "superseded"
    """An earlier try or version, replaced by a later one."""


class Attempt(Base):
    """One answer to one question, with the content version it was scored against."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "quiz_id", "quiz_run", "question_id", "try_no"),
        status_check(AttemptStatus),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[Key]
    quiz_id: Mapped[Key]
    question_id: Mapped[Key]
    quiz_run: Mapped[int]
    try_no: Mapped[int] = mapped_column(default=1, server_default="1")
    """Which try at the question within the run (see the question's `max_attempts`)."""
    retry_after: Mapped[When]
    """Set while the learner may try again (from this time on); None once the answer is final."""
    scoring: Mapped[Json]
    """How the score came about: levels, scorers run, model usage, why it is provisional."""
    content_hash: Mapped[str] = mapped_column(String(16))
    response: Mapped[Json]
    status: Mapped[str] = mapped_column(String(16))
    """An `AttemptStatus`."""
    points: Mapped[float | None] = mapped_column(nullable=True)
    max_points: Mapped[float]
    correct: Mapped[bool | None] = mapped_column(nullable=True)
    feedback: Mapped[Json]
    scorer: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[Created]


class QuizRun(Base):
    """One run of a quiz: the questions drawn for it and the seed their options are shuffled by."""

    __tablename__ = "quiz_runs"
    __table_args__ = (UniqueConstraint("enrollment_id", "quiz_id", "run"),)
    id: Mapped[IntPK]
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[Key]
    run: Mapped[int]
    """The enrollment's `quiz_run` this run was taken in (attempts carry the same number)."""
    number: Mapped[int] = mapped_column(default=1)
    """Which run of this quiz it is since the quiz was last started afresh (1 = first)."""
    seed: Mapped[int] = mapped_column(BigInteger)
    questions: Mapped[Json]
    """The ids of the questions asked in this run, in the order asked."""
    started_at: Mapped[Created]
    ended_at: Mapped[When]


class RetakeGrant(Base):
    """Runs of a quiz an admin granted an enrollment beyond the quiz's retakes, and why."""

    __tablename__ = "retake_grants"
    __table_args__ = (CheckConstraint("runs >= 1", name="runs"),)
    id: Mapped[IntPK]
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[Key]
    runs: Mapped[int]
    reason: Mapped[str] = mapped_column(Text())
    granted_by: Mapped[str] = mapped_column(String(255))
    """The granting actor's identity, as in the audit log (`cli:<os user>`, `slack:T:U`)."""
    created_at: Mapped[Created]


class ProcessedEvent(Base):
    """Keys of inbound events already handled, so retries are absorbed once."""

    __tablename__ = "processed_events"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[Created]


class AnonymousAggregate(Base):
    """What remains of erased learners: counts per workspace and program, no person."""

    __tablename__ = "anonymous_aggregates"
    workspace_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    program_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enrollments: Mapped[int] = mapped_column(default=0)
    completions: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    points: Mapped[float] = mapped_column(default=0)
    updated_at: Mapped[When]
