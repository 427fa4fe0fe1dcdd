"""Mount the Teams channel on the aiohttp app: POST /api/messages and the messenger."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication

from bot.channels.teams.adapter import TeamsAdapter
from bot.channels.teams.clients import CachingAuthentication, ClientCache
from bot.channels.teams.config import bot_config, is_loopback
from bot.channels.teams.handler import TeamsBot
from bot.channels.teams.http import PATH, MessagesEndpoint
from bot.channels.teams.messenger import TeamsMessenger
from bot.channels.teams.references import ReferenceStore
from bot.channels.teams.retry import RetryPolicy
from bot.core.middleware import Router
from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class TeamsChannel:
    """What the rest of the process may use: the adapter, references and the messenger."""

    adapter: TeamsAdapter
    references: ReferenceStore
    messenger: TeamsMessenger
    clients: ClientCache
    auth_enabled: bool


TEAMS = web.AppKey("teams", TeamsChannel)


def mount_teams(
    app: web.Application,
    settings: Settings,
    router: Router,
    database: Database,
    *,
    auth_overrides: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
) -> TeamsChannel | None:
    """Add POST /api/messages, or explain in the log why Teams stays off."""
    auth_enabled = bool(settings.microsoft_app_id)
    if not auth_enabled and not is_loopback(settings.host):
        log.warning(
            "Microsoft Teams is off: MICROSOFT_APP_ID is not set, and unauthenticated "
            "requests are only served when the server listens on loopback (MICROCRED_HOST "
            "is %s). Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to connect Teams.",
            settings.host,
        )
        return None
    uses_secret = settings.microsoft_app_type.lower() != "userassignedmsi"
    if auth_enabled and uses_secret and not settings.microsoft_app_password:
        log.warning("MICROSOFT_APP_PASSWORD is not set: Teams replies will fail to authenticate")
    try:
        sdk_auth = ConfigurationBotFrameworkAuthentication(bot_config(settings, auth_overrides))
    except Exception as exc:  # the SDK raises bare Exception for incomplete settings
        log.error("Microsoft Teams is off: %s (check MICROSOFT_APP_TYPE and its settings)", exc)
        return None
    policy = retry or RetryPolicy()
    clients = ClientCache(timeout=policy.timeout)
    auth = CachingAuthentication(sdk_auth, clients)
    adapter = TeamsAdapter(auth, policy)
    references = ReferenceStore(database)
    bot = TeamsBot(router, references)
    endpoint = MessagesEndpoint(adapter, auth, bot, auth_enabled=auth_enabled)
    app.router.add_post(PATH, endpoint.handle)
    messenger = TeamsMessenger(adapter, references, settings.microsoft_app_id)
    channel = TeamsChannel(adapter, references, messenger, clients, auth_enabled)
    app[TEAMS] = channel

    async def close_clients(_: web.Application) -> None:
        await clients.close()

    app.on_cleanup.append(close_clients)
    if not auth_enabled:
        log.info("Microsoft Teams: %s is served without authentication (local use)", PATH)
    return channel
