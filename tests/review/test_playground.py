"""The reviewer's view in the browser playground: the list, the rubric form, the decision."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.application import Application
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from storage.models import PeerDecision
from tests.review import helpers as h
from tests.review.library import WRITEUP
from tests.web.session import signed_in_browser


@pytest.fixture
async def playground(sqlite_url: str, peers: Catalog) -> AsyncIterator[tuple[TestClient, Any]]:
    services = Application.build(Settings(database_url=sqlite_url), catalog=peers)
    client = await signed_in_browser(create_app(services))
    yield client, services
    await client.close()


async def _say(client: TestClient, user: str, text: str) -> dict[str, Any]:
    response = await client.post("/playground/api/message", json={"user": user, "text": text})
    assert response.status == 200
    data: dict[str, Any] = await response.json()
    return data


async def test_a_reviewer_decides_in_the_playground(
    playground: tuple[TestClient, Any], peers: Catalog
) -> None:
    client, services = playground
    await h.reviewer(services.database, "local:bea", "peer-solo", "Bea")
    await _say(client, "Ann", "start peer-solo")
    await _say(client, "Ann", WRITEUP)
    listed = await _say(client, "Bea", "review")
    assert "#1" in listed["messages"][0]["html"]
    shown = await _say(client, "Bea", "review 1")
    html = shown["messages"][-1]["html"]
    assert "Portfolio review" in html and 'name="lv-why"' in html and 'name="decision"' in html
    action = {"name": "peer-decide", "args": {"s": "1", "v": "1"}}
    values = {"lv-why": "met", "lv-checks": "met", "decision": "approve", "cm-why": "Clear"}
    response = await client.post(
        "/playground/api/action", json={"user": "Bea", "action": action, "values": values}
    )
    data = await response.json()
    assert any("last approval needed" in note for note in data["private"])
    [decision] = await h.rows(services.database, PeerDecision)
    assert decision.comments == {"why": "Clear"}
    mine = await _say(client, "Ann", "portfolio")
    assert "Approved · 1 of 1 approval" in mine["messages"][0]["html"]
