"""Turn a neutral Reply into Teams activities and Action.Execute invoke responses."""

from __future__ import annotations

import re
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, ResourceResponse

from bot.channels.teams.render import CARD_CONTENT_TYPE, note_card, render_card
from bot.channels.teams.translate import kind_of
from bot.core.views import Message, Reply

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
DONE = "Done."
SUMMARY_LIMIT = 250


def card_activity(card: dict[str, Any], summary: str) -> Activity:
    """A message holding only the card (Teams splits text + attachment into two messages)."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary[:SUMMARY_LIMIT],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


def message_activity(message: Message) -> Activity:
    return card_activity(render_card(message), message.fallback)


def card_response(card: dict[str, Any]) -> InvokeResponse:
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
    )


def plain(markdown: str) -> str:
    """Short markdown as plain text, for Teams' text-only invoke message."""
    text = re.sub(r"\*\*|`", "", markdown)
    return re.sub(r"\\([\\`*_{}\[\]()<>#+\-.!|~])", r"\1", text)


def message_response(text: str) -> InvokeResponse:
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": MESSAGE_RESPONSE, "value": plain(text)}
    )


async def send(context: TurnContext, activity: Activity) -> ResourceResponse:
    """Post into this turn's conversation: a new message, or a reply in a channel thread."""
    reference = TurnContext.get_conversation_reference(context.activity)
    TurnContext.apply_conversation_reference(activity, reference)
    in_thread = kind_of(context.activity) == "channel" and context.activity.type == "message"
    activity.reply_to_id = context.activity.id if in_thread else None
    [response] = await context.adapter.send_activities(context, [activity])
    return response


async def update(context: TurnContext, activity_id: str, message: Message) -> None:
    activity = message_activity(message)
    TurnContext.apply_conversation_reference(
        activity, TurnContext.get_conversation_reference(context.activity)
    )
    activity.id = activity_id
    activity.reply_to_id = None
    await context.adapter.update_activity(context, activity)


async def deliver(context: TurnContext, reply: Reply) -> None:
    """A message turn: notes and messages become cards; a used prompt is edited in place."""
    for note in reply.private:
        await send(context, card_activity(note_card(note), plain(note)))
    if reply.replace_source is not None:
        source_id = context.activity.reply_to_id
        if source_id:  # Action.Submit from an older client: edit the card that was used
            await update(context, source_id, reply.replace_source)
        else:
            await send(context, message_activity(reply.replace_source))
    for message in reply.messages:
        await send(context, message_activity(message))


async def answer_invoke(context: TurnContext, reply: Reply) -> InvokeResponse:
    """An Action.Execute: new messages are sent, the clicked card is swapped by the response.

    A refused submission (an answer that is not a number, say) only shows the reason: the
    card keeps what the learner typed, so they can fix it and submit again.
    """
    if reply.refused and reply.replace_source is None:
        return message_response(reply.refused)
    for message in reply.messages:
        await send(context, message_activity(message))
    if reply.replace_source is not None:
        source_id = context.activity.reply_to_id
        if source_id and kind_of(context.activity) != "personal":
            await update(context, source_id, reply.replace_source)  # everyone else's view
        return card_response(render_card(reply.replace_source, notes=reply.private))
    if reply.private:
        return message_response(" ".join(reply.private))
    return message_response(DONE)
