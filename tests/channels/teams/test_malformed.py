"""Over real HTTP: wrongly typed activities and ids get 400 and one log line, never a crash."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.channels.teams.driver import TeamsDriver


def _broken(teams: TeamsDriver, case: str) -> dict[str, Any]:
    activity = teams.activity("ann", type="message", text="help")
    if case == "no conversation":
        del activity["conversation"]
    elif case == "conversation is a string":
        activity["conversation"] = "a:ann"
    elif case == "list as aad id":
        activity["from"]["aadObjectId"] = ["aad-ann"]
    elif case == "control chars in id":
        activity["from"]["aadObjectId"] = "aad\n-ann"
    elif case == "huge tenant":
        activity["channelData"] = {"tenant": {"id": "t" * 5000}}
    elif case == "text is an object":
        activity["text"] = {"x": 1}
    elif case == "entities is a string":
        activity["entities"] = "clientInfo"
    return activity


@pytest.mark.parametrize(
    "case",
    [
        "no conversation",
        "conversation is a string",
        "list as aad id",
        "control chars in id",
        "huge tenant",
        "text is an object",
        "entities is a string",
    ],
)
async def test_malformed_activities_get_400_and_one_line(
    teams_sqlite: TeamsDriver, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.DEBUG)
    turn = await teams_sqlite.post(_broken(teams_sqlite, case))
    assert turn.status == 400 and turn.calls == []
    assert [r for r in caplog.records if r.exc_info] == []
    lines = [r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith("bot")]
    assert len(lines) == 1 and "\n" not in lines[0].getMessage()


@pytest.mark.parametrize(
    "url",
    ["https://attacker.example/", "http://10.0.0.1/", "http://127.0.0.1.evil.example/", "x"],
)
async def test_with_auth_off_only_loopback_service_urls_get_replies(
    teams_sqlite: TeamsDriver, url: str
) -> None:
    turn = await teams_sqlite.post(
        teams_sqlite.activity("bo", type="message", text="help", serviceUrl=url)
    )
    assert turn.status in (400, 403) and turn.calls == []
    assert teams_sqlite.connector.calls == []
