"""Conversation references in the database, for proactive messages to people and channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationAccount, ConversationReference
from sqlalchemy.exc import IntegrityError

from bot.channels.teams.translate import channel_id_of, tenant_of
from storage.db import Database
from storage.models import TeamsConversation
from storage.queries.conversations import mark_unreachable
from storage.queries.people import ensure_workspace
from storage.types import utcnow


@dataclass(frozen=True)
class Stored:
    reference: ConversationReference
    reachable: bool
    reason: str


def workspace_of_address(address: str) -> str:
    """`teams:TENANT:ANYTHING` → `teams:TENANT` (channel ids contain colons themselves)."""
    platform, tenant, _ = address.split(":", 2)
    return f"{platform}:{tenant}"


def reference_of(activity: Activity, kind: str) -> ConversationReference:
    """Where to post later: the conversation itself, not a reply to this activity."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    if reference.conversation is not None:
        conversation = ConversationAccount().deserialize(reference.conversation.serialize())
        conversation.tenant_id = tenant_of(activity) or None
        if kind == "channel":
            conversation.id = channel_id_of(activity)
        reference.conversation = conversation
    return reference


def _dump(reference: ConversationReference) -> dict[str, Any]:
    data: dict[str, Any] = reference.serialize()
    return data


class ReferenceStore:
    """Saves references on install and first contact; remembers which are unreachable."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._seen: dict[str, str] = {}
        """Addresses saved by this process, with their service URL: skip rewriting them."""

    async def save(self, address: str, kind: str, reference: ConversationReference) -> bool:
        """Store or refresh; True when the address became reachable (new or reinstalled)."""
        service_url = str(reference.service_url or "")
        for attempt in (1, 2):
            try:
                async with self.database.transaction() as session:
                    row = await session.get(TeamsConversation, address)
                    if row is None:
                        await ensure_workspace(session, workspace_id=workspace_of_address(address))
                        session.add(
                            TeamsConversation(
                                address=address,
                                workspace_id=workspace_of_address(address),
                                kind=kind,
                                service_url=service_url,
                                reference=_dump(reference),
                                updated_at=utcnow(),
                            )
                        )
                        fresh = True
                    else:
                        fresh = not row.reachable
                        row.kind, row.service_url = kind, service_url
                        row.reference = _dump(reference)
                        row.reachable, row.unreachable_reason = True, ""
                        row.updated_at = utcnow()
                self._seen[address] = service_url
                return fresh
            except IntegrityError:
                if attempt == 2:
                    raise
        return False

    async def note(self, address: str, kind: str, reference: ConversationReference) -> None:
        """Keep the reference fresh on ordinary turns, writing only when something changed."""
        if self._seen.get(address) != (reference.service_url or ""):
            await self.save(address, kind, reference)

    async def get(self, address: str) -> Stored | None:
        async with self.database.sessions() as session:
            row = await session.get(TeamsConversation, address)
            if row is None:
                return None
            reference = ConversationReference().deserialize(row.reference or {})
            return Stored(reference, row.reachable, row.unreachable_reason)

    async def mark_unreachable(self, address: str, reason: str) -> None:
        """Stop sending there until the app is installed again (or the person writes)."""
        self._seen.pop(address, None)
        async with self.database.transaction() as session:
            await mark_unreachable(session, address=address, reason=reason, now=utcnow())
