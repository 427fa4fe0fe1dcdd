"""Over real HTTP: unsigned, malformed and foreign requests are refused, never a crash."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from storage.models import Identity, Person, ProcessedEvent
from tests.channels.slack.driver import TEAM, SlackDriver, form

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


async def count(driver: SlackDriver, model: type) -> int:
    async with driver.services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def nothing_happened(driver: SlackDriver) -> None:
    await driver.settle()
    assert await count(driver, Person) == 0
    assert await count(driver, ProcessedEvent) == 0
    assert [c.method for c in driver.fake.calls if c.method != "auth.test"] == []


def quiet(caplog: pytest.LogCaptureFixture) -> None:
    """At most one short log line per refusal, and never a traceback."""
    assert [r for r in caplog.records if r.exc_info] == []
    lines = [r for r in caplog.records if r.levelno >= logging.INFO and r.name != "aiohttp.access"]
    assert len(lines) <= 1, [r.getMessage() for r in lines]
    assert all("\n" not in r.getMessage() and len(r.getMessage()) < 300 for r in lines)


def envelope(event: Any, team: Any = TEAM) -> str:
    return json.dumps(
        {
            "token": "x",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvBad1",
            "event_time": int(time.time()),
            "event": event,
        }
    )


def dm(user: Any = "U1") -> dict[str, Any]:
    return {"type": "message", "channel": "DU1", "channel_type": "im", "user": user, "text": "hi"}


def command(team: str = TEAM, user: str = "U1") -> str:
    return urlencode(
        {"team_id": team, "user_id": user, "channel_id": "DU1", "command": "/learn", "text": "help"}
    )


@pytest.mark.parametrize(
    "body",
    [b"garbage", b'{"type": "event_callback", "event": "x"}', b"payload=%7Bnot+json", b"\xff\xfe"],
)
async def test_unsigned_requests_get_401_before_anything_is_parsed(
    slack_sqlite: SlackDriver, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        response = await slack_sqlite.client.post(
            "/slack/events", data=body, headers={"Content-Type": JSON}
        )
        assert response.status == 401
        caplog.clear() if _ < 2 else quiet(caplog)
    await nothing_happened(slack_sqlite)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("payload=%7Bnot+json", FORM),
        ("{not json", JSON),
        ("[1, 2]", JSON),
        (
            form({"type": "block_actions", "team": {"id": TEAM}, "user": ["U1"], "actions": []}),
            FORM,
        ),
        (form({"type": "block_actions", "team": "T1", "user": {"id": "U1"}, "actions": "x"}), FORM),
        (
            form(
                {
                    "type": "view_submission",
                    "team": {"id": TEAM},
                    "user": {"id": "U1", "team_id": TEAM},
                    "view": {"private_metadata": "{not json", "state": {"values": {}}},
                }
            ),
            FORM,
        ),
        (
            form(
                {
                    "type": "view_submission",
                    "team": {"id": TEAM},
                    "user": {"id": "U1", "team_id": TEAM},
                    "view": {"private_metadata": '{"a": 5}', "state": {"values": {}}},
                }
            ),
            FORM,
        ),
        (command(user="not-a-user"), FORM),
        (command(team="acme"), FORM),
    ],
)
async def test_signed_but_malformed_payloads_get_400(
    slack_sqlite: SlackDriver, caplog: pytest.LogCaptureFixture, body: str, kind: str
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await slack_sqlite.post(body, kind)
    assert response.status == 400
    quiet(caplog)
    await nothing_happened(slack_sqlite)


@pytest.mark.parametrize(
    "body",
    [
        envelope("a string"),
        envelope(["a", "list"]),
        envelope(dm(user=["U1"])),
        envelope(dm(user={"id": "U1"})),
        envelope(dm(user="u1; drop")),
        envelope(dm(), team=["T1"]),
        envelope(dm(), team="not-a-team"),
        envelope({**dm(), "text": {"x": 1}}),
        envelope({"type": "app_home_opened", "user": 7, "tab": "home"}),
    ],
)
async def test_signed_but_malformed_events_are_acked_and_ignored(
    slack_sqlite: SlackDriver, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    """Slack retries any event not answered 2xx, so a bad one is acked, logged once, dropped."""
    caplog.set_level(logging.DEBUG)
    response = await slack_sqlite.post(body, JSON)
    assert response.status == 200
    quiet(caplog)
    await nothing_happened(slack_sqlite)


async def test_a_list_as_user_never_becomes_an_identity(slack_sqlite: SlackDriver) -> None:
    await slack_sqlite.post(envelope(dm(user=["U1"])), JSON)
    await slack_sqlite.dm("U2", "help")
    async with slack_sqlite.services.database.transaction() as session:
        identities = list(await session.scalars(select(Identity.identity)))
    assert identities == ["slack:T1:U2"]


async def test_single_token_mode_serves_only_the_tokens_workspace(
    slack_sqlite: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    event = await slack_sqlite.post(envelope(dm(), team="T9OTHER"), JSON)
    assert event.status == 200
    quiet(caplog)
    caplog.clear()
    slash = await slack_sqlite.post(command(team="T9OTHER"), FORM)
    assert slash.status == 403
    quiet(caplog)
    await nothing_happened(slack_sqlite)
    assert "T9OTHER" in caplog.text
    ours = await slack_sqlite.post(command(), FORM)  # the token's own workspace still works
    assert ours.status == 200
    await slack_sqlite.settle()
    assert await count(slack_sqlite, Person) == 1
