"""Scheduled delivery: due items the tick sweeps, recall cards, the outbox, inbox and alerts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import Created, IntPK, Json, UTCDateTime, When

DUE_KINDS = ("slot", "nudge", "deadline")


class DueStatus(StrEnum):
    """Where a due item stands; the database allows only these."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"


_PENDING_SLOT = text(f"kind = 'slot' AND status = '{DueStatus.PENDING}'")


class DueItem(Base):
    """Something due for one enrollment at a time: a lesson slot, a nudge, a deadline reminder."""

    __tablename__ = "due_items"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "kind", "ref"),
        status_check(DueStatus),
        Index("ix_due_items_status_due_at", "status", "due_at"),
        Index(
            "uq_due_items_pending_slot",
            "enrollment_id",
            unique=True,
            sqlite_where=_PENDING_SLOT,
            postgresql_where=_PENDING_SLOT,
        ),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(String(120))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(200))
    """What is due: the slot time, `STEP:RUN:N` of a nudge, `DATE:DAYS` of a deadline."""
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When it was meant for (a slot's own time), for catch-up counting."""
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When the tick picks it up (inside the learner's quiet window)."""
    rule: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=DueStatus.PENDING)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[Created]
    done_at: Mapped[When]


class RecallStatus(StrEnum):
    """Whether a recall card still comes back; the database allows only these."""

    ACTIVE = "active"
    RETIRED = "retired"
    """Answered right in the last box (or its enrollment closed)."""


class RecallCard(Base):
    """A question answered wrongly, coming back in Leitner boxes until it is known."""

    __tablename__ = "recall_cards"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "quiz_id", "question_id"),
        status_check(RecallStatus),
        Index("ix_recall_cards_status_due_at", "status", "due_at"),
    )
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(String(120))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(64))
    box: Mapped[int] = mapped_column(default=1)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=RecallStatus.ACTIVE)
    """`active`, or `retired` once answered right in the last box."""
    asked: Mapped[int] = mapped_column(default=0)
    """Rounds asked; a round's buttons answer only that round."""
    answered: Mapped[int] = mapped_column(default=0)
    """The last round answered."""
    created_at: Mapped[Created]
    updated_at: Mapped[When]


class OutboxStatus(StrEnum):
    """Where an outbox message stands; the database allows only these."""

    PENDING = "pending"
    CLAIMED = "claimed"
    """Claimed by a dispatcher under a lease."""
    SENT = "sent"
    DEAD = "dead"
    """Given up on (an admin may retry it)."""


class OutboxMessage(Base):
    """One message to send, with our idempotency key; claimed under a lease, then confirmed."""

    __tablename__ = "outbox"
    __table_args__ = (
        status_check(OutboxStatus),
        Index("ix_outbox_status_due_at", "status", "due_at"),
    )
    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    workspace_id: Mapped[str] = mapped_column(String(120))
    platform: Mapped[str] = mapped_column(String(16))
    identity: Mapped[str] = mapped_column(String(255))
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    message: Mapped[Json]
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tries: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
    uncertain: Mapped[bool] = mapped_column(default=False)
    """A send may have happened without confirmation: look it up before resending."""
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[When]
    ref: Mapped[str | None] = mapped_column(String(255), nullable=True)
    sent_at: Mapped[When]
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    enqueued_by: Mapped[str] = mapped_column(String(64), default="")
    sent_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[Created]


class MessageTemplate(Base):
    """A message many outbox rows share (a scheduled step), stored once by its digest; each
    row holds the digest and its learner's enrollment id (`bot/delivery/shared.py`)."""

    __tablename__ = "message_templates"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    message: Mapped[Json]
    created_at: Mapped[Created]


class InboxMessage(Base):
    """A scheduled message for a local (playground or terminal) learner."""

    __tablename__ = "inbox_messages"
    id: Mapped[IntPK]
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=True
    )
    identity: Mapped[str] = mapped_column(String(255), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    message: Mapped[Json]
    created_at: Mapped[Created]


class AdminAlert(Base):
    """Something an admin should look at (a dead-lettered message, an unreachable learner)."""

    __tablename__ = "admin_alerts"
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(255))
    detail: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[Created]
    resolved_at: Mapped[When]


class DeliveryWorker(Base):
    """A running server process: its heartbeat, and whether it leads the scheduler."""

    __tablename__ = "delivery_workers"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(default=0)
    leader: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[Created]
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent: Mapped[int] = mapped_column(default=0)


class PeriodicRun(Base):
    """A periodic sweep's last run, claimed before it starts so each interval runs it once."""

    __tablename__ = "periodic_runs"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    runs: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[When]
    worker: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
