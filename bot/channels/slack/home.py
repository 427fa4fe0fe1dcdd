"""The App Home tab: the learner's dashboard, published on open and after progress changes."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.people import TtlCache
from bot.channels.slack.render import home_view
from bot.core.events import ActionInput, Actor, Inbound
from bot.core.ports import Conversation
from bot.core.views import Message, Reply, Text
from bot.learning.actions import HOME


class Home:
    """Builds the Home view through the engine and publishes it with views.publish."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.viewers: TtlCache[bool] = TtlCache(7 * 24 * 3600)
        """People who opened the Home tab lately: theirs is refreshed after each change."""

    def watching(self, actor: Actor) -> bool:
        return self.viewers.get(actor.identity) is not None

    async def build(self, actor: Actor) -> Reply:
        return await self.conversation.handle(Inbound(actor, ActionInput(HOME())))

    async def publish(self, client: AsyncWebClient, actor: Actor, reply: Reply) -> None:
        """Publish what the engine answered to the `home` action (raises on API errors)."""
        notes = tuple(Message((Text(n),), n) for n in reply.private)
        view = home_view(reply.messages + notes)
        self.viewers.put(actor.identity, True)
        await client.views_publish(user_id=actor.user_id, view=view)

    async def refresh(self, client: AsyncWebClient, actor: Actor) -> None:
        """Republish the tab of someone who looks at it (after progress changed)."""
        if self.watching(actor):
            await self.publish(client, actor, await self.build(actor))
