"""Open Badges records: awards, expiry reminders, sharing preferences, recognition policy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import Created, IntPK, Json, Key, UTCDateTime, When

ANNOUNCE_STATES = ("none", "queued", "posting", "posted", "failed")


class BadgeAward(Base):
    """One badge earned by one person: the record every credential format is built from.

    `id` doubles as the index in the OB 3.0 revocation status list; `uid` is the public id
    in URLs. `edition` counts re-certifications, so a retried or concurrent award of the same
    edition collides on the unique key instead of creating a second badge. The person link
    is cleared when the learner is erased, which withdraws the badge.
    """

    __tablename__ = "badge_awards"
    __table_args__ = (UniqueConstraint("person_id", "program_id", "edition"),)
    id: Mapped[IntPK]
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True
    )
    program_id: Mapped[Key]
    edition: Mapped[int] = mapped_column(default=1)
    program_hash: Mapped[str] = mapped_column(String(16))
    badge: Mapped[Json]
    """The badge as it was when earned: name, description, criteria, tags, skills."""
    source: Mapped[str] = mapped_column(String(16), default="completion")
    evidence: Mapped[Json]
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[When]
    recipient_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    salt: Mapped[str | None] = mapped_column(String(64), nullable=True)
    identity_hash: Mapped[str | None] = mapped_column(String(80), nullable=True)
    issued_at: Mapped[When]
    """When the credentials were issued (once an e-mail for the recipient was known)."""
    credential_jwt: Mapped[str | None] = mapped_column(Text(), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    revoked_at: Mapped[When]
    revocation_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    announce_state: Mapped[str] = mapped_column(String(16), default="none")
    announce_ref: Mapped[str | None] = mapped_column(String(255), nullable=True)


class BadgeReminder(Base):
    """A re-certification reminder due before an award expires; the scheduler sends it."""

    __tablename__ = "badge_reminders"
    __table_args__ = (UniqueConstraint("award_id", "kind"),)
    id: Mapped[IntPK]
    award_id: Mapped[int] = mapped_column(
        ForeignKey("badge_awards.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[When]
    created_at: Mapped[Created]


class BadgePreference(Base):
    """A learner's badge choices: the e-mail for their badges and public announcements."""

    __tablename__ = "badge_preferences"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    announce: Mapped[str | None] = mapped_column(String(8), nullable=True)
    """`always` or `never`; None follows the workspace's recognition policy."""


RECOGNITION_POLICIES = ("ask", "announce")


class BadgePolicy(Base):
    """A workspace's recognition policy: `ask` first (default) or `announce` unless opted out."""

    __tablename__ = "badge_policies"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    recognition: Mapped[str] = mapped_column(String(16), default="ask")
