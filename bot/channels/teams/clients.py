"""Connector and token clients built once per service URL and reused (the SDK rebuilds them)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from botbuilder.schema import Activity
from botframework.connector import AsyncBfPipeline, BotFrameworkConnectorConfiguration
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from bot.channels.teams.transport import AioHttpDriver, SharedSession

MAX_CLIENTS = 256


def app_id_of(identity: ClaimsIdentity) -> str:
    claims = identity.claims or {}
    found = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(
        AuthenticationConstants.APP_ID_CLAIM
    )
    return str(found or "")


class ClientCache:
    """ConnectorClients keyed by (app id, service URL, audience), least recently used evicted."""

    def __init__(self, timeout: float, max_size: int = MAX_CLIENTS) -> None:
        self.timeout = timeout
        self.max_size = max_size
        self.http = SharedSession()
        self._clients: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()
        self._token_clients: dict[str, UserTokenClient] = {}

    def _on_aiohttp(self, built: ConnectorClient, service_url: str) -> ConnectorClient:
        """The SDK's client, re-plumbed: same credentials, our aiohttp driver, no msrest retries
        (we retry in asyncio with Retry-After; urllib3's would block a thread and hide 429s)."""
        driver = AioHttpDriver(None, self.http, self.timeout)
        config = BotFrameworkConnectorConfiguration(
            built.config.credentials, service_url, pipeline_type=AsyncBfPipeline, driver=driver
        )
        driver.config = config
        client = ConnectorClient(None, custom_configuration=config)
        ours, theirs = client.config.user_agent, built.config.user_agent
        if theirs.startswith(ours) and theirs[len(ours) :].strip():
            client.config.add_user_agent(theirs[len(ours) :].strip())  # the SDK's product token
        return client

    async def connector(
        self, factory: ConnectorFactory, app_id: str, service_url: str, audience: str | None
    ) -> ConnectorClient:
        key = (app_id, service_url, audience or "")
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = self._on_aiohttp(await factory.create(service_url, audience), service_url)
        self._clients[key] = client
        while len(self._clients) > self.max_size:
            self._clients.popitem(last=False)
        return client

    async def token_client(
        self, inner: BotFrameworkAuthentication, identity: ClaimsIdentity
    ) -> Any:
        key = app_id_of(identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await inner.create_user_token_client(identity)
            self._token_clients[key] = client
        return client

    def __len__(self) -> int:
        return len(self._clients)

    async def close(self) -> None:
        self._clients.clear()
        await self.http.close()


class CachingConnectorFactory(ConnectorFactory):
    """Replies and proactive sends share a client: no audience means the channel's default."""

    def __init__(
        self, inner: ConnectorFactory, app_id: str, cache: ClientCache, default_audience: str
    ) -> None:
        self.inner = inner
        self.app_id = app_id
        self.cache = cache
        self.default_audience = default_audience

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        audience = audience or self.default_audience or None
        return await self.cache.connector(self.inner, self.app_id, service_url, audience)


class CachingAuthentication(BotFrameworkAuthentication):
    """The SDK's authentication, with its connector and token clients cached."""

    def __init__(self, inner: BotFrameworkAuthentication, cache: ClientCache) -> None:
        self.inner = inner
        self.cache = cache

    def _wrap(self, factory: ConnectorFactory, identity: ClaimsIdentity) -> ConnectorFactory:
        audience = str(self.inner.get_originating_audience() or "")
        return CachingConnectorFactory(factory, app_id_of(identity), self.cache, audience)

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self.inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._wrap(self.inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        client: UserTokenClient = await self.cache.token_client(self.inner, claims_identity)
        return client

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self.inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)
