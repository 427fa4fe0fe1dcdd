"""The Teams bot: translate each activity, hand it to the core, send what comes back."""

from __future__ import annotations

import logging

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext

from bot.channels.teams import outbound
from bot.channels.teams.references import ReferenceStore, reference_of
from bot.channels.teams.translate import (
    Problem,
    address_of,
    inbound_of,
    install_of,
    kind_of,
)
from bot.channels.teams.welcome import NOT_HERE, not_here, personal_welcome, team_intro
from bot.core.actions import not_yours_here
from bot.core.errors import Unreachable
from bot.core.ports import Conversation
from bot.core.views import Reply, say

log = logging.getLogger(__name__)
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"


class TeamsBot(ActivityHandler):
    """Personal chats run the learner journey; channels get a pointer to the personal chat."""

    def __init__(self, conversation: Conversation, references: ReferenceStore) -> None:
        self.conversation = conversation
        self.references = references

    async def _remember(self, context: TurnContext) -> str | None:
        """Keep the conversation reference fresh; installs are what must save it, so a
        failure here is logged and the learner still gets an answer."""
        activity = context.activity
        address, kind = address_of(activity), kind_of(activity)
        if address and kind in ("personal", "channel"):
            try:
                await self.references.note(address, kind, reference_of(activity, kind))
            except Exception:
                log.warning("could not save the Teams reference of %s", address, exc_info=True)
        return address

    async def _gone(self, context: TurnContext, exc: Unreachable) -> None:
        address = address_of(context.activity)
        log.warning("cannot answer %s in Teams: %s", address, exc)
        if address:
            await self.references.mark_unreachable(address, str(exc))

    async def on_message_activity(self, context: TurnContext) -> None:
        address = await self._remember(context)
        found = inbound_of(context.activity)
        try:
            if found is None:
                return
            if isinstance(found, Problem):
                await outbound.deliver(context, say(found.text))
            elif kind_of(context.activity) != "personal":
                await outbound.deliver(context, Reply((not_here(address),)))
            else:
                await outbound.deliver(context, await self.conversation.handle(found))
        except Unreachable as exc:
            await self._gone(context, exc)

    async def on_invoke_activity(self, context: TurnContext) -> InvokeResponse:
        # Answered here, not by ActivityHandler's adaptive-card path, which serializes the
        # response twice and fails (botbuilder 4.17).
        if context.activity.name != ADAPTIVE_CARD_ACTION:
            return InvokeResponse(status=501)
        await self._remember(context)
        found = inbound_of(context.activity)
        if found is None or isinstance(found, Problem):
            return outbound.message_response(found.text if found else outbound.DONE)
        shared = kind_of(context.activity) != "personal"
        try:
            reply = await self.conversation.handle(found)  # the core checks who may press
            if shared:  # a button on a channel post (Join): only the person who pressed sees this
                refused = NOT_HERE if reply.refused == not_yours_here() else reply.refused
                return outbound.message_response(
                    " ".join(reply.private) or refused or outbound.DONE
                )
            return await outbound.answer_invoke(context, reply)
        except Unreachable as exc:
            await self._gone(context, exc)
            return outbound.message_response(outbound.DONE)

    async def on_installation_update(self, context: TurnContext) -> None:
        await self._install(context)

    async def on_conversation_update_activity(self, context: TurnContext) -> None:
        await self._install(context)

    async def _install(self, context: TurnContext) -> None:
        event = install_of(context.activity)
        if event is None:
            return
        if not event.added:
            await self.references.mark_unreachable(event.address, "the app was uninstalled")
            return
        reference = reference_of(context.activity, event.kind)
        if not await self.references.save(event.address, event.kind, reference):
            return  # installationUpdate and conversationUpdate both report one install
        welcome = personal_welcome() if event.kind == "personal" else team_intro(event.address)
        try:
            await outbound.send(context, outbound.message_activity(welcome))
        except Unreachable as exc:
            await self._gone(context, exc)
