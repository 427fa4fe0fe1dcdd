"""Where the bot can reach a Teams person or channel without an inbound message."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import Created, Json, When


class TeamsConversation(Base):
    """A stored Bot Framework conversation reference for proactive messages.

    `address` is `teams:TENANT:AADID` for a personal chat and `teams:TENANT:CHANNEL` for a
    team channel. `reachable` turns false when Teams answers 403 (app blocked or
    uninstalled) and true again when the app is installed anew.
    """

    __tablename__ = "teams_conversations"
    address: Mapped[str] = mapped_column(String(255), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    service_url: Mapped[str] = mapped_column(String(500))
    reference: Mapped[Json]
    reachable: Mapped[bool] = mapped_column(default=True)
    unreachable_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[Created]
    updated_at: Mapped[When]
