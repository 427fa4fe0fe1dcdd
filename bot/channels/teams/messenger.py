"""TeamsMessenger: proactive messages to installed learners and bound channels."""

from __future__ import annotations

from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.schema import ConversationReference

from bot.channels.teams.adapter import TeamsAdapter
from bot.channels.teams.outbound import message_activity
from bot.channels.teams.references import ReferenceStore
from bot.core.errors import Unreachable
from bot.core.ports import SendObserver
from bot.core.views import Message

REF_SEPARATOR = "|"


class TeamsMessenger:
    """`Messenger` for Teams, on stored conversation references and `continue_conversation`.

    `key` needs no carrier on Teams: the outbox that calls us de-duplicates by it.
    """

    platform = "teams"

    def __init__(self, adapter: CloudAdapterBase, references: ReferenceStore, app_id: str) -> None:
        self.adapter = adapter
        self.references = references
        self.app_id = app_id

    def observe(self, observer: SendObserver) -> None:
        """Count the connector's 429s (its retry policy reports them)."""
        if isinstance(self.adapter, TeamsAdapter):
            self.adapter.observer = observer

    async def _reference(self, address: str) -> ConversationReference:
        stored = await self.references.get(address)
        if stored is None:
            raise Unreachable(f"{address}: the Teams app is not installed there")
        if not stored.reachable:
            raise Unreachable(f"{address}: {stored.reason or 'unreachable'}")
        return stored.reference

    async def _continue(
        self, address: str, reference: ConversationReference, logic: object
    ) -> None:
        try:
            await self.adapter.continue_conversation(reference, logic, self.app_id)
        except Unreachable as exc:
            await self.references.mark_unreachable(address, str(exc))
            raise Unreachable(f"{address}: {exc}") from exc

    async def _post(self, address: str, message: Message, thread: str = "") -> str:
        reference = await self._reference(address)
        if thread and reference.conversation is not None:  # a channel post's reply chain
            reference = ConversationReference().deserialize(reference.serialize())
            reference.conversation.id = f"{reference.conversation.id};messageid={thread}"
        sent: list[str] = []

        async def logic(context: TurnContext) -> None:
            activity = message_activity(message)
            TurnContext.apply_conversation_reference(activity, reference)
            activity.reply_to_id = thread or None
            [response] = await context.adapter.send_activities(context, [activity])
            sent.append(str(response.id or "") if response else "")

        await self._continue(address, reference, logic)
        return f"{address}{REF_SEPARATOR}{sent[0] if sent else ''}"

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        """DM `teams:TENANT:AADID`; the result is the reference for `update`."""
        return await self._post(identity, message)

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        """Post a new thread in the bound channel `teams:TENANT:CHANNEL`."""
        return await self._post(channel, message)

    async def reply_in_thread(self, ref: str, message: Message, *, key: str) -> str:
        """Reply in a channel post's reply chain; personal chats have none: a new message."""
        address, _, activity_id = ref.rpartition(REF_SEPARATOR)
        if not address or not activity_id:
            raise ValueError(f"'{ref}' is not a reference returned by send_direct/post_channel")
        stored = await self._reference(address)
        kind = stored.conversation.conversation_type if stored.conversation else None
        thread = activity_id if kind == "channel" else ""
        posted = await self._post(address, message, thread)
        return posted

    async def update(self, ref: str, message: Message) -> None:
        address, _, activity_id = ref.rpartition(REF_SEPARATOR)
        if not address or not activity_id:
            raise ValueError(f"'{ref}' is not a reference returned by send_direct/post_channel")
        reference = await self._reference(address)

        async def logic(context: TurnContext) -> None:
            activity = message_activity(message)
            TurnContext.apply_conversation_reference(activity, reference)
            activity.id, activity.reply_to_id = activity_id, None
            await context.adapter.update_activity(context, activity)

        await self._continue(address, reference, logic)
