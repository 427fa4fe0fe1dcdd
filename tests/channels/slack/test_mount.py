"""Slack mounts only when configured; otherwise one log line says it is off and why."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.application import Application
from bot.channels.slack.app import slack_problem
from bot.channels.slack.mount import SLACK
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from storage.encryption import generate_key


async def test_slack_is_off_without_its_settings(
    sqlite_url: str, catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "bot.channels.slack"):
        app = create_app(Application.build(Settings(database_url=sqlite_url), catalog=catalog))
    assert SLACK not in app
    off = [r.message for r in caplog.records if r.name == "bot.channels.slack"]
    assert len(off) == 1 and off[0].startswith("Slack is off: set SLACK_BOT_TOKEN")
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        assert (await client.post("/slack/events", data="{}")).status in (404, 405)


def test_what_is_missing_is_named() -> None:
    assert slack_problem(Settings(slack_bot_token="xoxb")) == (
        "set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)"
    )
    assert slack_problem(Settings(slack_bot_token="xoxb", slack_signing_secret="s")) is None
    oauth = Settings(slack_client_id="c", slack_client_secret="s", slack_app_token="x")
    assert "set MICROCRED_SECRET_KEY" in (slack_problem(oauth) or "")
    assert slack_problem(replace(oauth, secret_keys=(generate_key(),))) is None


def test_settings_read_slack_api_url_with_a_trailing_slash() -> None:
    settings = Settings.from_env({"SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
