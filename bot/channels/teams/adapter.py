"""CloudAdapter whose connector calls retry with backoff and report gone learners."""

from __future__ import annotations

from functools import partial
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import BotFrameworkAuthentication

from bot.channels.teams.retry import RetryPolicy, with_retry
from bot.core.ports import SendObserver, Unobserved


class TeamsAdapter(CloudAdapter):
    """Sends each activity once, retrying 429/5xx/timeouts; 403 raises Unreachable."""

    def __init__(self, auth: BotFrameworkAuthentication, policy: RetryPolicy) -> None:
        super().__init__(auth)
        self.policy = policy
        self.observer: SendObserver = Unobserved()
        """Counts the connector's 429s (TeamsMessenger.observe sets the application's metrics)."""

    def _client(self, context: TurnContext) -> ConnectorClient:
        client = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
        if client is None:
            raise RuntimeError("no ConnectorClient on this turn")
        return client

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        for activity in activities:
            activity.id = None
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
                responses.append(ResourceResponse(id=""))
                continue
            if activity.type == ActivityTypes.trace:
                responses.append(ResourceResponse(id=""))
                continue
            operations = self._client(context).conversations
            conversation_id = activity.conversation.id
            call: Any
            if activity.reply_to_id:
                call = partial(
                    operations.reply_to_activity, conversation_id, activity.reply_to_id, activity
                )
            else:
                call = partial(operations.send_to_conversation, conversation_id, activity)
            response = await with_retry(
                call, self.policy, what="send activity", observer=self.observer
            )
            responses.append(response or ResourceResponse(id=""))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> Any:
        operations = self._client(context).conversations
        call = partial(operations.update_activity, activity.conversation.id, activity.id, activity)
        response = await with_retry(
            call, self.policy, what="update activity", observer=self.observer
        )
        return ResourceResponse(id=response.id) if response and response.id else None
