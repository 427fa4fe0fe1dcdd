"""Peer review records: submissions, reviewer assignments, decisions, drafts, calibration, posts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import Created, IntPK, Json, Key, UTCDateTime, When


class SubmissionStatus(StrEnum):
    """Where a submission under peer review stands; the database allows only these."""

    OPEN = "open"
    """Waiting for reviewers' decisions on the current version."""
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SETTLED = "settled"
    """Decided outside peer review (a person scored the answer)."""


UNDER_REVIEW = (SubmissionStatus.OPEN, SubmissionStatus.CHANGES_REQUESTED)
"""Submissions not decided yet: waiting for reviewers, or for the author's next version."""


class PeerSubmission(Base):
    """One portfolio task of one enrollment run under peer review; versions are its attempts."""

    __tablename__ = "peer_submissions"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "quiz_id", "question_id", "quiz_run"),
        status_check(SubmissionStatus),
        Index("ix_peer_submissions_status", "status"),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[Key]
    quiz_id: Mapped[Key]
    question_id: Mapped[Key]
    quiz_run: Mapped[int]
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="SET NULL"), nullable=True
    )
    """The attempt holding the current version (earlier versions are superseded attempts)."""
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.OPEN)
    wanted: Mapped[int] = mapped_column(default=2)
    """Reviewers the program asks for (`review.reviewers`)."""
    required: Mapped[int] = mapped_column(default=2)
    """Approvals that decide; fewer than `wanted` when the pool was small (said openly)."""
    anonymous: Mapped[bool] = mapped_column(default=False)
    named: Mapped[bool] = mapped_column(default=False)
    """The author agreed to be named on the review post."""
    channel: Mapped[str | None] = mapped_column(String(255), nullable=True)
    """The bound review channel, or None: each reviewer's direct messages."""
    fallback: Mapped[str] = mapped_column(Text(), default="")
    writeup: Mapped[str] = mapped_column(Text(), default="")
    links: Mapped[str] = mapped_column(Text(), default="")
    final_levels: Mapped[Json]
    final_points: Mapped[float | None] = mapped_column(nullable=True)
    round_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalate_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalated_at: Mapped[When]
    created_at: Mapped[Created]
    decided_at: Mapped[When]


class AssignmentStatus(StrEnum):
    """Whether a reviewer is still on a submission; the database allows only these."""

    ACTIVE = "active"
    REPLACED = "replaced"
    """Reassigned to someone else (timed out, or by an admin)."""
    LEFT = "left"
    """Could no longer be reached."""
    RELEASED = "released"
    """Stepped down themselves."""


class PeerAssignment(Base):
    """A reviewer asked to review a submission, with the timers that keep it moving."""

    __tablename__ = "peer_assignments"
    __table_args__ = (
        UniqueConstraint("submission_id", "reviewer_id"),
        status_check(AssignmentStatus),
    )
    id: Mapped[IntPK]
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("peer_submissions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(default=1)
    """"Reviewer 1", "Reviewer 2": how anonymous posts name them."""
    source: Mapped[str] = mapped_column(String(16))
    """Why this person: `badge`, `reviewer`, `lead`, `admin`, `escalation` or `manual`."""
    status: Mapped[str] = mapped_column(String(16), default=AssignmentStatus.ACTIVE)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When they were asked to review the current version."""
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[When]
    reassign_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[When]


class PeerDecision(Base):
    """A reviewer's rubric levels, comments and decision on one version (once)."""

    __tablename__ = "peer_decisions"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id", "version"),)
    id: Mapped[IntPK]
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("peer_submissions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True
    )
    ordinal: Mapped[int] = mapped_column(default=1)
    version: Mapped[int]
    decision: Mapped[str] = mapped_column(String(16))
    """`approve` or `changes`."""
    levels: Mapped[Json]
    comments: Mapped[Json]
    points: Mapped[float]
    agreed: Mapped[bool | None] = mapped_column(nullable=True)
    """Whether the decision matched the version's outcome (set when the version closes)."""
    level_agreement: Mapped[float | None] = mapped_column(nullable=True)
    """Share of criteria at the final level (approved versions)."""
    created_at: Mapped[Created]


class PeerDraft(Base):
    """A portfolio write-up saved but not submitted yet."""

    __tablename__ = "peer_drafts"
    __table_args__ = (UniqueConstraint("enrollment_id", "quiz_id", "question_id"),)
    id: Mapped[IntPK]
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    quiz_id: Mapped[Key]
    question_id: Mapped[Key]
    writeup: Mapped[str] = mapped_column(Text(), default="")
    links: Mapped[str] = mapped_column(Text(), default="")
    updated_at: Mapped[Created]


class PeerCalibration(Base):
    """A reviewer's levels for one anchor example, compared with its reference levels."""

    __tablename__ = "peer_calibrations"
    __table_args__ = (
        UniqueConstraint("person_id", "program_id", "quiz_id", "question_id", "anchor_id"),
    )
    id: Mapped[IntPK]
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    program_id: Mapped[Key]
    quiz_id: Mapped[Key]
    question_id: Mapped[Key]
    anchor_id: Mapped[Key]
    levels: Mapped[Json]
    agreement: Mapped[float]
    created_at: Mapped[Created]


class ReviewerStatus(Base):
    """A person's availability for peer review (opted out, or paused until a date)."""

    __tablename__ = "peer_reviewer_status"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    opted_out: Mapped[bool] = mapped_column(default=False)
    paused_until: Mapped[When]
    updated_at: Mapped[Created]


class PostStatus(StrEnum):
    """Where a peer review post stands; the database allows only these."""

    PENDING = "pending"
    SENDING = "sending"
    """Claimed under a lease."""
    SENT = "sent"
    DEAD = "dead"


class PeerPost(Base):
    """A message peer review sends: a thread's parent, a reply in it, or a direct message.

    Rows are written in the transaction that decided them and sent after it commits (and
    retried by the sweep); a sent parent marked `stale` is edited to show the new status.
    """

    __tablename__ = "peer_posts"
    __table_args__ = (
        status_check(PostStatus),
        Index("ix_peer_posts_status", "status", "next_try_at"),
    )
    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(255), unique=True)
    workspace_id: Mapped[str] = mapped_column(String(120))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("peer_submissions.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    """`parent`, `reply` or `direct`."""
    purpose: Mapped[str] = mapped_column(String(16), default="")
    address: Mapped[str] = mapped_column(String(255))
    """A channel (`slack:T:C`) or an identity (`slack:T:U`)."""
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=True
    )
    """Who a direct message or a direct-mode parent is for."""
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("peer_posts.id", ondelete="CASCADE"), nullable=True
    )
    message: Mapped[Json]
    """The message (replies, direct messages); parents are drawn from the current state."""
    ref: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=PostStatus.PENDING)
    stale: Mapped[bool] = mapped_column(default=False)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[When]
    last_error: Mapped[str] = mapped_column(Text(), default="")
    created_at: Mapped[Created]
    sent_at: Mapped[When]
