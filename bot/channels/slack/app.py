"""The Bolt AsyncApp: single-workspace or OAuth, HTTP and/or Socket Mode, our listeners, and
the durable inbox they store events in (with this process's inbox worker, unless off)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.channels.slack.client import DEFAULT_TIMEOUT, SharedSession, web_client
from bot.channels.slack.guard import workspace_guard
from bot.channels.slack.inbox import PLATFORM, SlackInbox
from bot.channels.slack.listeners import ACK_BUDGET, Listeners
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.oauth import StaticToken, Tokens, oauth_enabled, oauth_parts
from bot.channels.slack.people import People
from bot.core.ports import Conversation
from bot.core.tasks import Tasks
from bot.runtime import worker_name
from bot.runtime.inbox import GroupCommit, InboxWorker
from bot.settings import Settings
from storage.db import Database
from storage.encryption import Cipher, SecretKeyMissing

log = logging.getLogger("bot.channels.slack")


class _QuietTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins: it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("bot.channels.slack.bolt")
BOLT_LOG.addFilter(_QuietTokenWarning())


def slack_problem(settings: Settings) -> str | None:
    """Why Slack cannot run with these settings, or None when it can."""
    if not (settings.slack_bot_token or oauth_enabled(settings)):
        return (
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (OAuth)"
        )
    if not (settings.slack_signing_secret or settings.slack_app_token):
        return "set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)"
    if oauth_enabled(settings):
        try:
            Cipher(settings.secret_keys)
        except SecretKeyMissing as exc:
            return (
                f"OAuth stores workspace tokens encrypted, but {exc} (the default SQLite "
                "database gets a key file from `microcred db upgrade`)"
            )
    return None


@dataclass
class SlackChannel:
    """Everything Slack needs at run time, with its start and stop."""

    app: AsyncApp
    settings: Settings
    session: SharedSession
    background: Tasks
    """Work after the ack (the application's tasks: stopping drains them)."""
    messenger: SlackMessenger
    """The one outbound path: features, scheduled delivery (messenger and reconciler) and
    the listeners' replies all send through it."""
    listeners: Listeners
    inbox: GroupCommit
    """The edge's group commit: block actions, commands and DM messages before their ack."""
    worker: InboxWorker | None
    """This process's inbox worker (None: an edge only, `serve --no-worker`)."""
    socket: AsyncSocketModeHandler | None = None

    @property
    def http(self) -> bool:
        """Requests arrive at POST /slack/events (else only through Socket Mode)."""
        return bool(self.settings.slack_signing_secret)

    @property
    def oauth(self) -> bool:
        return self.app.oauth_flow is not None

    async def start(self) -> None:
        await self.session.open()
        if self.worker is not None:
            await self.worker.start()
        if self.settings.slack_app_token:
            self.socket = AsyncSocketModeHandler(
                self.app, self.settings.slack_app_token, web_client=self.app.client
            )
            await self.socket.connect_async()
            log.info("Slack Socket Mode connected")

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None
        await self.inbox.close()
        if self.worker is not None:
            await self.worker.stop()
        await self.background.drain()
        await self.session.close()

    async def lifespan(self, _: Any) -> AsyncIterator[None]:
        """For aiohttp's cleanup_ctx: start with the server, stop before the database closes."""
        await self.start()
        yield
        await self.stop()


def inbox_worker(
    settings: Settings, database: Database, listeners: Listeners, *, concurrency: int = 0
) -> InboxWorker:
    """A worker that runs stored Slack events through `listeners`."""
    return InboxWorker(
        database,
        {PLATFORM: SlackInbox(listeners)},
        worker=worker_name(),
        concurrency=concurrency or settings.inbox_concurrency,
        lease_seconds=settings.inbox_lease_seconds,
    )


def build_slack(
    settings: Settings,
    conversation: Conversation,
    database: Database,
    *,
    tasks: Tasks | None = None,
    budget: float = ACK_BUDGET,
    timeout: float = DEFAULT_TIMEOUT,
    worker: bool | None = None,
) -> SlackChannel:
    """The Slack channel for `settings` (check `slack_problem` first); with `worker` (default:
    `settings.inbox_worker`) it runs an inbox worker while it is started."""
    engine = database.engine
    session = SharedSession(timeout)
    oauth = oauth_enabled(settings)
    token = None if oauth else settings.slack_bot_token
    client = session.attach(web_client(settings.slack_api_url, token, timeout))
    options: dict[str, Any] = {}
    tokens: Tokens = StaticToken(settings.slack_bot_token)
    if oauth:
        oauth_settings, authorize, tokens = oauth_parts(settings, engine)
        options = {"oauth_settings": oauth_settings, "authorize": authorize}
    app = AsyncApp(
        name="microcred",
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        installation_store_bot_only=True if oauth else None,
        logger=BOLT_LOG,
        **options,
    )
    app.use(workspace_guard(single_team=not oauth))
    background = tasks or Tasks()
    messenger = SlackMessenger(settings.slack_api_url, tokens, session, People(), timeout)
    # SQLite's single writer is handled by storage (one transaction at a time in-process).
    inbox = GroupCommit(database)
    listeners = Listeners(
        conversation, messenger=messenger, background=background, inbox=inbox, budget=budget
    )
    listeners.register(app)
    runs = settings.inbox_worker if worker is None else worker
    local = inbox_worker(settings, database, listeners) if runs else None
    if local is not None:
        inbox.on_commit(local.wake)
    if oauth:
        app.enable_token_revocation_listeners()
    else:
        app.event("tokens_revoked")(_revoked)
        app.event("app_uninstalled")(_revoked)
    return SlackChannel(app, settings, session, background, messenger, listeners, inbox, local)


async def _revoked(event: dict[str, Any], body: dict[str, Any]) -> None:
    log.warning(
        "Slack %s for team %s: reinstall the app and update SLACK_BOT_TOKEN",
        event.get("type"),
        body.get("team_id"),
    )
