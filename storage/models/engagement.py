"""Engagement records: the points ledger, leaderboard totals, streaks, challenges, due posts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import Created, IntPK, UTCDateTime, When

LISTING_OFF, LISTING_DEFAULT, LISTING_OPTED_IN = 0, 1, 2
"""`PointsTotal.listing`: left the boards, no choice made (follows the policy), opted in."""


class PointsEntry(Base):
    """Points earned once for one reason; `key` makes retried and concurrent awards collide."""

    __tablename__ = "points_ledger"
    __table_args__ = (
        UniqueConstraint("person_id", "key"),
        Index("ix_points_ledger_person_earned", "person_id", "earned_at"),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    program_id: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))
    """A row of the points rules: `lesson`, `first_try`, `quiz`, `rubric`, `streak`, …"""
    key: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(140), default="")
    """The content behind the points (`quiz/question`, `lesson:ID`, `quiz:ID`), for skills."""
    points: Mapped[int]
    quality: Mapped[float] = mapped_column(default=0.0)
    """How well it was done (0–1) for answers and quizzes: what mastery challenges count."""
    day: Mapped[date] = mapped_column(Date())
    """The learner's local date when earned (daily caps)."""
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PointsTotal(Base):
    """A person's points on one board (`org`, `p:PROGRAM`, `t:TEAM`) in one period.

    Periods are `all`, `wYYYY-MM-DD` (the UTC week starting that Monday) and `mYYYY-MM`;
    maintained with each award, so a leaderboard is an index range scan.
    """

    __tablename__ = "points_totals"
    workspace_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    board: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    points: Mapped[int] = mapped_column(default=0)
    listing: Mapped[int] = mapped_column(SmallInteger(), default=LISTING_DEFAULT)


Index(
    "ix_points_totals_ranking",
    PointsTotal.workspace_id,
    PointsTotal.board,
    PointsTotal.period,
    PointsTotal.points.desc(),
    PointsTotal.person_id,
    PointsTotal.listing,
)

BOARD_CHOICES = ("named", "anonymous", "off")


class BoardPreference(Base):
    """A learner's leaderboard choice: shown by name, as "a colleague", or off the boards."""

    __tablename__ = "board_preferences"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[Created]


class Streak(Base):
    """Consecutive scheduled slots answered in one enrollment, with the pause it forgives."""

    __tablename__ = "streaks"
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    current: Mapped[int] = mapped_column(default=0)
    best: Mapped[int] = mapped_column(default=0)
    last_slot_at: Mapped[When]
    """The scheduled time of the last slot counted."""
    excused_from: Mapped[When]
    excused_until: Mapped[When]
    """The latest pause: slots inside it neither count nor break the streak."""
    updated_at: Mapped[When]


class ChallengeStatus(StrEnum):
    """Where a challenge stands; the database allows only these."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    """Posted, not started yet."""
    RUNNING = "running"
    ENDED = "ended"
    CANCELLED = "cancelled"


SCORINGS = ("points", "completions", "mastery")


class Challenge(Base):
    """A time-boxed team challenge a lead or admin runs in a channel."""

    __tablename__ = "challenges"
    __table_args__ = (
        status_check(ChallengeStatus),
        Index("ix_challenges_workspace_status", "workspace_id", "status"),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    lead_name: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), nullable=True
    )
    channel: Mapped[str] = mapped_column(String(255))
    program_id: Mapped[str] = mapped_column(String(64))
    skill: Mapped[str] = mapped_column(String(64), default="")
    goal: Mapped[str] = mapped_column(String(200))
    scoring: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    progress: Mapped[str] = mapped_column(String(16), default="weekly")
    """How often progress is posted: `daily`, `weekly` or `none`."""
    prize: Mapped[str] = mapped_column(String(300), default="")
    daily_cap: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=ChallengeStatus.DRAFT)
    announce_ref: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[Created]
    posted_at: Mapped[When]
    ended_at: Mapped[When]


class ChallengeMember(Base):
    __tablename__ = "challenge_members"
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


DUE_KINDS = ("announce", "start", "progress", "reminder", "end", "digest", "prune")


class EngagementDueStatus(StrEnum):
    """Where a due engagement post stands; the database allows only these."""

    PENDING = "pending"
    RUNNING = "running"
    """Claimed by the sweep."""
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class EngagementDue(Base):
    """A post the sweep makes when due: a challenge's start, progress and end, a digest."""

    __tablename__ = "engagement_due"
    __table_args__ = (
        status_check(EngagementDueStatus),
        Index("ix_engagement_due_status_due_at", "status", "due_at"),
    )
    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    workspace_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(255), default="")
    program_id: Mapped[str] = mapped_column(String(64), default="")
    period: Mapped[str] = mapped_column(String(16), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=EngagementDueStatus.PENDING)
    """`pending`, `running` (claimed), `done`, `failed` or `cancelled`."""
    tries: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[When]
    done_at: Mapped[When]
    ref: Mapped[str | None] = mapped_column(String(255), nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
