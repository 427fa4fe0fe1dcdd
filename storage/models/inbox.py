"""The durable inbox: inbound events stored at the edge and acknowledged, then processed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, status_check
from storage.types import IntPK, Json, UTCDateTime, When


class InboxEventStatus(StrEnum):
    """Where an inbound event stands; the database allows only these."""

    PENDING = "pending"
    CLAIMED = "claimed"
    """Taken by a worker under a lease (taken back when the lease expires)."""
    DONE = "done"
    DEAD = "dead"
    """Failed too often; left for an admin (its lane goes on without it)."""


class InboxEvent(Base):
    """One acknowledged inbound event; a lane's events (one learner's) run one at a time,
    in id order."""

    __tablename__ = "event_inbox"
    __table_args__ = (
        status_check(InboxEventStatus),
        Index("ix_event_inbox_status_id", "status", "id"),
        Index("ix_event_inbox_lane_status", "lane", "status"),
    )
    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(255), unique=True)
    """`WORKSPACE:EVENT_ID`, the engine's de-duplication key: a redelivery is stored once."""
    platform: Mapped[str] = mapped_column(String(16))
    lane: Mapped[str] = mapped_column(String(255))
    """The learner's identity: events of one lane are processed in order, one at a time."""
    payload: Mapped[Json]
    """What the platform's handler needs: the neutral event and where to answer."""
    status: Mapped[str] = mapped_column(String(16), default=InboxEventStatus.PENDING)
    tries: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[When]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[When]
    """When the engine's transaction for it committed (set in that transaction)."""
    done_at: Mapped[When]
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
