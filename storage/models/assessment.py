"""Assessment records: the audit trail of every score, the model's cache and learner notices."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import Created, IntPK, Json, When

SCORE_SOURCES = ("exact", "offline", "llm", "reviewer", "cli", "pending-review")


class ScoreStatus(StrEnum):
    """What a score record says of its score; the database allows only these."""

    SCORED = "scored"
    PROVISIONAL = "provisional"
    """Points given, waiting for a reviewer before they count."""
    PENDING = "pending"
    """No points yet: waiting for a reviewer."""
    FAILED = "failed"
    """The scorer gave no score."""
    SUPERSEDED = "superseded"


class ScoreRecord(Base):
    """One score given to an attempt, and who or what gave it (never updated or deleted)."""

    __tablename__ = "score_records"
    __table_args__ = (status_check(ScoreStatus),)
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(32))
    """`exact`, `offline`, `llm`, `reviewer` (chat) or `cli`."""
    actor: Mapped[str] = mapped_column(String(255), default="")
    """The model name, or the identity of the person who scored."""
    points: Mapped[float | None] = mapped_column(nullable=True)
    max_points: Mapped[float]
    status: Mapped[str] = mapped_column(String(16))
    """A `ScoreStatus`."""
    stood: Mapped[bool] = mapped_column(default=False)
    """Whether this score became the attempt's score when it was given."""
    levels: Mapped[Json]
    reason: Mapped[str] = mapped_column(Text(), default="")
    details: Mapped[Json]
    created_at: Mapped[Created]


class LlmScoreCache(Base):
    """A model's validated answer for one rubric version and one answer text."""

    __tablename__ = "llm_score_cache"
    __table_args__ = (UniqueConstraint("model", "rubric_hash", "answer_hash"),)
    id: Mapped[IntPK]
    model: Mapped[str] = mapped_column(String(120))
    rubric_hash: Mapped[str] = mapped_column(String(64))
    answer_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[Json]
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cost_usd: Mapped[float | None] = mapped_column(nullable=True)
    created_at: Mapped[Created]


class LearnerNotice(Base):
    """Something to tell a learner later (a re-scored answer); the scheduler delivers it."""

    __tablename__ = "learner_notices"
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text())
    """CommonMark, complete in itself (it names the program, the question and the change)."""
    created_at: Mapped[Created]
    delivered_at: Mapped[When]
