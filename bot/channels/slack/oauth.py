"""Workspaces and their bot tokens: one static token, or OAuth installs stored in our database."""

from __future__ import annotations

import logging
from typing import Protocol

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.slack.installations import EncryptedInstallationStore
from bot.core.errors import Unreachable
from bot.settings import Settings
from storage.encryption import Cipher

log = logging.getLogger("bot.channels.slack")

BOT_SCOPES = (
    "chat:write",
    "commands",
    "im:history",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:join",
)
"""Keep equal to manifest.yaml's bot scopes (a test checks it)."""
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as the Web API (slack.com, slack-gov.com)."""
    if api_url.endswith("/api/"):
        return api_url[: -len("api/")] + "oauth/v2/authorize"
    return "https://slack.com/oauth/v2/authorize"


class Tokens(Protocol):
    """The bot token for a workspace (for messages sent without an inbound request)."""

    async def bot_token(self, team_id: str) -> str: ...


class StaticToken:
    """Single-workspace mode: SLACK_BOT_TOKEN for every team."""

    def __init__(self, token: str) -> None:
        self.token = token

    async def bot_token(self, team_id: str) -> str:
        return self.token


class InstalledTokens:
    """OAuth mode: the token saved when the workspace installed the app."""

    def __init__(self, store: EncryptedInstallationStore) -> None:
        self.store = store

    async def bot_token(self, team_id: str) -> str:
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise Unreachable(
                f"microcred is not installed in Slack workspace {team_id}: "
                f"an admin of that workspace installs it from {INSTALL_PATH}"
            )
        return bot.bot_token


def oauth_parts(
    settings: Settings, engine: AsyncEngine
) -> tuple[AsyncOAuthSettings, AsyncInstallationStoreAuthorize, InstalledTokens]:
    """OAuth settings, a cached authorize and the token lookup, all on our database tables
    (tokens encrypted with MICROCRED_SECRET_KEY: check `slack_problem` first)."""
    store = EncryptedInstallationStore(
        settings.slack_client_id, engine, Cipher(settings.secret_keys)
    )
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    redirect = (
        settings.public_base_url.rstrip("/") + REDIRECT_PATH if settings.public_base_url else None
    )
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=redirect,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        installation_store=store,
        bot_only=True,
        cache_enabled=True,
    )
    return oauth, authorize, InstalledTokens(store)
