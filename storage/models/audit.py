"""The audit log: who changed roles, scores, badges, reviews, bindings and cohorts, and how."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, one_of
from storage.types import IntPK, Json, UTCDateTime, utcnow


class AuditAction(StrEnum):
    """What an admin (or a reviewer scoring by hand) did; the database allows only these."""

    ROLE_GRANT = "role.grant"
    ROLE_REVOKE = "role.revoke"
    SCORE_OVERRIDE = "score.override"
    SCORE_CONFIRM = "score.confirm"
    BADGE_AWARD = "badge.award"
    BADGE_REVOKE = "badge.revoke"
    REVIEW_REASSIGN = "review.reassign"
    REVIEW_DECIDE_OVERRIDE = "review.decide-override"
    BINDING_SET = "binding.set"
    COHORT_CREATE = "cohort.create"
    COHORT_ADD = "cohort.add"
    RETAKE_GRANT = "retake.grant"


class Surface(StrEnum):
    """Where the action was taken."""

    CLI = "cli"
    SLACK = "slack"
    TEAMS = "teams"
    PLAYGROUND = "playground"


ERASED = "erased"
"""What stands for an erased person, as subject or as actor."""


class AuditEntry(Base):
    """One recorded admin action, written in the same transaction as the change."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        one_of("action", AuditAction),
        one_of("surface", Surface),
        Index("ix_audit_entries_workspace_occurred", "workspace_id", "occurred_at"),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(255), index=True)
    """The actor's identity (`slack:TEAM:USER`, `local:NAME`), `cli:<os user>`, or `erased`."""
    surface: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True
    )
    """The learner (or grantee) the action was about, if any."""
    subject: Mapped[str] = mapped_column(String(255), default="")
    """The subject's identity when recorded; `erased` once they are erased."""
    target: Mapped[str] = mapped_column(Text(), default="")
    """What was changed, without naming the subject (`answer #12 in p/quiz/q`)."""
    changes: Mapped[Json]
    """Before/after values and the reason given, as JSON."""
