"""With an app id, every activity needs a valid Bot Framework token: otherwise 401."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.application import Application
from bot.channels.teams.app import mount_teams
from bot.content import Catalog
from bot.settings import Settings
from tests.channels.teams.driver import TeamsDriver
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.openid_issuer import CHANNEL_ISSUER, OpenIdIssuer, new_key

APP_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def issuer() -> Iterator[OpenIdIssuer]:
    running = OpenIdIssuer().start()
    yield running
    running.stop()


@pytest.fixture
async def secured(
    sqlite_url: str, catalog: Catalog, connector: FakeConnector, issuer: OpenIdIssuer
) -> AsyncIterator[TeamsDriver]:
    settings = Settings(
        database_url=sqlite_url, microsoft_app_id=APP_ID, microsoft_app_password="not-used-here"
    )
    services = Application.build(settings, catalog=catalog)
    app = web.Application()
    channel = mount_teams(
        app,
        settings,
        services.router,
        services.database,
        auth_overrides={
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": issuer.metadata_url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": CHANNEL_ISSUER,
            "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": issuer.metadata_url,
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": issuer.url,  # never Microsoft's login, even by mistake
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": CHANNEL_ISSUER,
        },
    )
    assert channel is not None and channel.auth_enabled
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield TeamsDriver(client, connector, catalog, channel)
    await client.close()
    await services.stop()


def _uninstall(teams: TeamsDriver) -> dict[str, object]:
    """An activity whose handling sends nothing (outbound calls would need a real token)."""
    return teams.activity("ann", type="installationUpdate", action="remove")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_valid_channel_token_is_accepted(
    secured: TeamsDriver, issuer: OpenIdIssuer
) -> None:
    token = issuer.token(APP_ID, secured.connector.url)
    turn = await secured.post(_uninstall(secured), _bearer(token))
    assert turn.status == 201 and secured.connector.calls == []


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "garbage",
        "forged",
        "wrong audience",
        "wrong service url",
        "expired",
        "wrong issuer",
        "not bearer",
    ],
)
async def test_forged_or_missing_tokens_get_401(
    secured: TeamsDriver, issuer: OpenIdIssuer, case: str
) -> None:
    url = secured.connector.url
    headers = {
        "missing": {},
        "garbage": _bearer("abc.def.ghi"),
        "forged": _bearer(issuer.token(APP_ID, url, key=new_key())),
        "wrong audience": _bearer(issuer.token("99999999-2222-3333-4444-555555555555", url)),
        "wrong service url": _bearer(issuer.token(APP_ID, "https://elsewhere.example/")),
        "expired": _bearer(issuer.token(APP_ID, url, lifetime=-3600)),
        "wrong issuer": _bearer(issuer.token(APP_ID, url, iss="https://evil.example")),
        "not bearer": {"Authorization": f"Basic {issuer.token(APP_ID, url)}"},
    }[case]
    message = secured.activity("ann", type="message", text="start secure-coding")
    turn = await secured.post(message, headers)
    assert turn.status == 401 and turn.body == {"error": "unauthorized"}
    assert secured.connector.calls == []  # nothing was processed


async def test_the_public_cloud_configuration_refuses_a_missing_token(
    sqlite_url: str, catalog: Catalog, connector: FakeConnector
) -> None:
    from bot.web.server import create_app

    settings = Settings(
        database_url=sqlite_url,
        host="0.0.0.0",
        microsoft_app_id=APP_ID,
        microsoft_app_password="not-used-here",
    )
    client = TestClient(
        TestServer(create_app(Application.build(settings, catalog=catalog)), host="127.0.0.1")
    )
    await client.start_server()
    try:
        response = await client.post(
            "/api/messages",
            json={
                "type": "message",
                "text": "hi",
                "serviceUrl": connector.url,
                "channelId": "msteams",
            },
        )
        assert response.status == 401
    finally:
        await client.close()
    assert connector.calls == []
