"""Multi-workspace OAuth: install, the redirect, installations in our database, per-team tokens."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from bot.channels.slack.oauth import authorization_url
from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.views import Text, message
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import signed_headers
from tests.fakes.slack_api import FakeSlack


def test_the_authorize_page_follows_the_api_host() -> None:
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert (
        authorization_url("https://slack-gov.com/api/")
        == "https://slack-gov.com/oauth/v2/authorize"
    )
    assert authorization_url("http://proxy.local/") == "https://slack.com/oauth/v2/authorize"


async def test_install_then_learn_with_the_installed_token(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack
) -> None:
    driver = await start_slack(
        sqlite_url,
        catalog,
        fake_slack,
        slack_bot_token="",
        slack_client_id="cid",
        slack_client_secret="csecret",
        public_base_url="https://microcred.example.com",
    )
    try:
        page = await driver.client.get("/slack/install")
        html = await page.text()
        assert page.status == 200 and "oauth/v2/authorize" in html
        assert f"127.0.0.1:{fake_slack.port}/oauth/v2/authorize" in html
        assert "chat%3Awrite" in html or "chat:write" in html
        state = re.search(r"state=([\w-]+)", html)
        assert state is not None
        cookie = page.cookies["slack-app-oauth-state"].value  # Secure: sent by hand over http
        done = await driver.client.get(
            f"/slack/oauth_redirect?code=abc&state={state.group(1)}",
            headers={"Cookie": f"slack-app-oauth-state={cookie}"},
        )
        assert done.status == 200, await done.text()
        async with driver.services.database.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT team_id, bot_token FROM slack_bots"))).all()
        assert [tuple(r) for r in rows] == [("TABC", "xoxb-TABC")]

        body = urlencode(
            {
                "team_id": "TABC",
                "user_id": "U1",
                "channel_id": "DU1",
                "command": "/learn",
                "text": "help",
                "trigger_id": "t-oauth-1",
                "response_url": fake_slack.response_url("o1"),
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
        response = await driver.client.post("/slack/events", data=body, headers=headers)
        assert response.status == 200
        await driver.settle()
        posts = fake_slack.calls_to("chat.postMessage")
        assert posts and {c.token for c in posts} == {"xoxb-TABC"}

        stranger = body.replace("TABC", "TNOPE").replace("t-oauth-1", "t-oauth-2")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(stranger)}
        refused = await driver.client.post("/slack/events", data=stranger, headers=headers)
        await driver.settle()
        assert len(fake_slack.calls_to("chat.postMessage")) == len(posts)
        assert refused.status in (200, 401)

        messenger = driver.channel.messenger
        ref = await messenger.send_direct(
            "slack:TABC:U1", message(Text("Hi"), fallback="Hi"), key=""
        )
        assert ref.startswith("slack:TABC:DU1:")
        with pytest.raises(Unreachable, match="not installed"):
            await messenger.send_direct(
                "slack:TNOPE:U1", message(Text("Hi"), fallback="Hi"), key=""
            )
    finally:
        await driver.client.close()
