"""Multi-workspace OAuth: install, the redirect, installations in our database, per-team tokens."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import make_url

from bot.channels.slack.app import slack_problem
from bot.channels.slack.oauth import authorization_url
from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.views import Text, message
from bot.redaction import install_redaction, uninstall_redaction
from bot.settings import Settings
from storage.encryption import PREFIX, Cipher, generate_key
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import SlackDriver, signed_headers
from tests.fakes.slack_api import FakeSlack

KEY = generate_key()
OAUTH: dict[str, Any] = {
    "slack_bot_token": "",
    "slack_client_id": "cid",
    "slack_client_secret": "csecret",
    "public_base_url": "https://microcred.example.com",
    "secret_keys": (KEY,),
}


@pytest.fixture
def redaction() -> Iterator[None]:
    install_redaction()
    yield
    uninstall_redaction()


async def install(driver: SlackDriver, fake_slack: FakeSlack) -> None:
    """Open the install page, then come back from Slack's authorize page with a code."""
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


def raw_tokens(url: str) -> list[tuple[str, str, str]]:
    """(table, team, bot_token) straight from the SQLite file, bypassing the store."""
    path = make_url(url).database
    assert path
    with sqlite3.connect(path) as conn:
        return [
            (table, *row)
            for table in ("slack_bots", "slack_installations")
            for row in conn.execute(f"SELECT team_id, bot_token FROM {table}")
        ]


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
    driver = await start_slack(sqlite_url, catalog, fake_slack, **OAUTH)
    try:
        await install(driver, fake_slack)
        rows = raw_tokens(sqlite_url)
        assert [(table, team) for table, team, _ in rows] == [
            ("slack_bots", "TABC"),
            ("slack_installations", "TABC"),
        ]
        for _, _, stored in rows:
            assert stored.startswith(PREFIX) and "xoxb" not in stored
            assert Cipher([KEY]).decrypt(stored) == "xoxb-TABC"

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


async def test_debug_logs_of_an_install_hold_no_token(
    sqlite_url: str,
    catalog: Catalog,
    fake_slack: FakeSlack,
    redaction: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    driver = await start_slack(sqlite_url, catalog, fake_slack, **OAUTH)
    try:
        await install(driver, fake_slack)
    finally:
        await driver.client.close()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "oauth.v2.access" in logged  # slack_sdk logged the response body at DEBUG
    assert "[redacted]" in logged
    for secret in ("xoxb-TABC", "csecret", KEY):
        assert secret not in logged and secret not in caplog.text


def test_oauth_without_a_secret_key_is_a_clear_problem() -> None:
    settings = Settings(slack_signing_secret="s" * 32, **{**OAUTH, "secret_keys": ()})
    problem = slack_problem(settings)
    assert problem is not None and "MICROCRED_SECRET_KEY" in problem
    wrong = Settings(slack_signing_secret="s" * 32, **{**OAUTH, "secret_keys": ("nope",)})
    assert "not a list of Fernet keys" in (slack_problem(wrong) or "")
    assert slack_problem(Settings(slack_signing_secret="s" * 32, **OAUTH)) is None
