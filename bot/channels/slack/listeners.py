"""Bolt listeners: translate, store in the durable inbox and ack; the inbox worker runs the
router within a budget and delivers. View submissions and modal openers stay inline."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import inbox, translate
from bot.channels.slack.actions import (
    ACTION_PREFIX,
    FIELD_PREFIX,
    FORM_CALLBACK,
    OPEN_PREFIX,
    unpack_form,
)
from bot.channels.slack.errors import describe
from bot.channels.slack.home import Home
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.modals import ModalSource, errors_response, modal_view
from bot.channels.slack.replies import Replies
from bot.channels.slack.translate import Incoming
from bot.core.events import ActionInput, Inbound
from bot.core.ports import Conversation
from bot.core.tasks import Tasks
from bot.core.views import Reply
from bot.runtime.inbox import GroupCommit, LeaseLost, lease_lost, wall_clock

log = logging.getLogger("bot.channels.slack")
ACK_BUDGET = 2.0
"""Seconds the router may take before the clicked message says "Checking…" (and, for the
inline view submissions, before we ack and finish in the background: Slack allows 3)."""


class Outage(Exception):
    """The database is out: the stored event is tried again later instead of apologising."""


class Gated:
    """The conversation, at most `in_flight` events at a time (back-pressure on bursts)."""

    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners

    async def handle(self, inbound: Inbound) -> Reply:
        async with self.listeners.gate:
            return await self.listeners.conversation.handle(inbound)


class Listeners:
    """What each kind of Slack request does; registered on one AsyncApp."""

    def __init__(
        self,
        conversation: Conversation,
        *,
        messenger: SlackMessenger,
        background: Tasks,
        inbox: GroupCommit,
        budget: float = ACK_BUDGET,
        in_flight: int = 64,
    ) -> None:
        self.conversation = conversation
        self.gate = asyncio.Semaphore(in_flight)
        """How many events the router handles at once."""
        self.people = messenger.people
        self.replies = Replies(messenger)
        """Replies go out through the one Slack messenger."""
        self.routed = Gated(self)
        self.home = Home(self.routed)
        self.background = background
        self.inbox = inbox
        """Where block actions, slash commands and DM messages are stored before the ack."""
        self.budget = budget

    def register(self, app: AsyncApp) -> None:
        app.command("/learn")(self.command)
        app.event("message")(self.message)
        app.event("app_home_opened")(self.home_opened)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(self.action)
        app.action(re.compile("^" + re.escape(OPEN_PREFIX)))(self.open_form)
        app.action(re.compile("^" + re.escape(FIELD_PREFIX)))(self.ack_only)
        app.view(FORM_CALLBACK)(self.submit)

    # -- the router, within the budget ------------------------------------------------

    async def _route(self, incoming: Incoming, client: AsyncWebClient) -> Reply:
        actor = await self.people.actor(client, incoming.inbound.actor)
        return await self.routed.handle(replace(incoming.inbound, actor=actor))

    async def _within_budget(
        self, incoming: Incoming, client: AsyncWebClient
    ) -> tuple[Reply | None, asyncio.Task[Reply]]:
        work = self.background.spawn(self._route(incoming, client), what="slack turn")
        done, _ = await asyncio.wait({work}, timeout=self.budget)
        return (work.result() if done else None), work

    async def _deliver(self, reply: Reply, incoming: Incoming, client: AsyncWebClient) -> None:
        key = f"reply:{incoming.inbound.event_id}" if incoming.inbound.event_id else ""
        pressed = isinstance(incoming.inbound.input, ActionInput)
        if pressed and incoming.inbound.channel and reply.refused:
            reply = Reply(private=(reply.refused,))  # on a channel post: only the presser sees why
        await self.replies.apply(reply, incoming.origin, key=key, token=client.token or "")
        try:
            await self.home.refresh(client, incoming.inbound.actor)
        except Exception as exc:  # the Home tab is refreshed on the next open anyway
            log.warning(describe("views.publish", incoming.inbound.actor.identity, exc))

    async def _late(
        self, work: asyncio.Task[Reply], incoming: Incoming, client: AsyncWebClient
    ) -> None:
        """The router is slow (e.g. rubric scoring): say so on the message, deliver when done."""
        await self.replies.checking(incoming.origin, client.token or "")
        await self._deliver(await work, incoming, client)

    async def _accept(self, incoming: Incoming, ack: AsyncAck | None) -> None:
        """Ack first, durably: the event's row is committed (shared with others) before the
        ack; a failure to store answers an error, so Slack retries."""
        await self.inbox.store(inbox.row(incoming, received_at=wall_clock()))
        if ack is not None:
            await ack()

    async def process(self, incoming: Incoming) -> None:
        """A stored event, in the inbox worker: the router within the budget (past it the
        clicked message says "Checking…"), then the reply where the person acted."""
        client = await self.replies.messenger.client(incoming.origin.team_id)
        reply, work = await self._within_budget(incoming, client)
        if reply is None:
            await self.replies.checking(incoming.origin, client.token or "")
            reply = await work
        if lease_lost():  # another worker runs it now; this run's turn was rolled back
            raise LeaseLost("taken back by another worker")
        if reply.outage:
            raise Outage("the database is unreachable")
        await self._deliver(reply, incoming, client)

    # -- listeners ----------------------------------------------------------------------

    async def command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await self._accept(translate.from_command(body), ack)

    async def message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        incoming = translate.from_message(event, body)
        if incoming is not None:
            await self._accept(incoming, None)

    async def home_opened(
        self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        incoming = translate.from_home_opened(event, body)
        if incoming is not None:
            self.background.spawn(self._publish_home(incoming, client), what="slack home")

    async def _publish_home(self, incoming: Incoming, client: AsyncWebClient) -> None:
        reply = await self._route(incoming, client)
        if not (reply.messages or reply.private):
            return  # a retried event, already handled
        actor = incoming.inbound.actor
        try:
            await self.home.publish(client, actor, reply)
        except Exception as exc:
            log.warning(describe("views.publish", actor.identity, exc))

    async def action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await self._accept(translate.from_action(body), ack)

    async def ack_only(self, ack: AsyncAck) -> None:
        await ack()

    async def open_form(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """ "Write answer…": open the form in a modal at once (the trigger_id lasts 3 s)."""
        await ack()
        clicked = (body.get("actions") or [{}])[0]
        try:
            form = unpack_form(str(clicked.get("value", "")))
        except ValueError:
            log.warning("a Slack form button carried no form: %s", clicked.get("action_id"))
            return
        origin = translate.from_action(body).origin
        source = ModalSource(
            form.submit.action,
            origin.channel_id,
            origin.message_ts,
            from_home=origin.surface == "home",
        )
        view = modal_view(form, source, list(origin.source_blocks))
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception as exc:
            log.warning(describe("views.open", f"{origin.team_id}:{origin.user_id}", exc))

    async def submit(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A modal's submit: refused answers stay in the modal with the reason inline."""
        incoming = translate.from_submission(body)
        reply, work = await self._within_budget(incoming, client)
        if reply is not None and reply.refused:
            await ack(**errors_response(body.get("view") or {}, reply.refused))
            return
        await ack()
        if reply is None:
            self.background.spawn(self._late(work, incoming, client), what="slack late reply")
        else:
            self.background.spawn(self._deliver(reply, incoming, client), what="slack reply")
