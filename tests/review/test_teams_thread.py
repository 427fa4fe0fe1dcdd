"""A portfolio reviewed in a Teams channel's reply chain, over HTTP against the fake connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.application import Application
from bot.channels.teams.app import TEAMS
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import create_app
from storage.models import Attempt, PeerDecision, PeerPost
from tests.channels.teams.conftest import FAST
from tests.channels.teams.driver import (
    BOT_ID,
    TeamsDriver,
    card_errors,
    card_text,
    card_validator,
    elements,
    executes,
)
from tests.clock import FakeClock
from tests.fakes.bot_connector import FakeConnector
from tests.review import helpers as h

CHANNEL = "19:rev@thread.tacv2"
BOUND = f"teams:tenant-1:{CHANNEL}"
ANN, BEA, CEM = "teams:tenant-1:aad-ann", "teams:tenant-1:aad-bea", "teams:tenant-1:aad-cem"


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams(
    sqlite_url: str, peers: Catalog, connector: FakeConnector, clock: FakeClock
) -> AsyncIterator[tuple[TeamsDriver, Application]]:
    services = Application.build(Settings(database_url=sqlite_url), catalog=peers)
    services.reviews.use_clock(clock)
    app = create_app(services)
    channel = app[TEAMS]
    channel.adapter.policy = FAST
    channel.clients.timeout = FAST.timeout
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield TeamsDriver(client, connector, peers, channel), services
    await client.close()


async def _settle(services: Application) -> None:
    await services.reviews.drain()
    await services.reviews.deliver()


def _showcard(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(
        e for e in elements(card) if e.get("type") == "Action.ShowCard" and e["title"] == title
    )


def _channel_activity(teams: TeamsDriver, parent_id: str) -> dict[str, Any]:
    """Where a click on the channel post comes from: the post's reply chain."""
    return {
        "conversation": {
            "id": f"{CHANNEL};messageid={parent_id}",
            "conversationType": "channel",
            "tenantId": "tenant-1",
        },
        "channelData": {
            "tenant": {"id": "tenant-1"},
            "team": {"id": "19:team@thread.tacv2"},
            "channel": {"id": CHANNEL},
        },
    }


async def _review(
    teams: TeamsDriver,
    user: str,
    card: dict[str, Any],
    parent_id: str,
    decision: str,
    comment: str = "",
) -> dict[str, Any]:
    """Open "Review this" on the channel post, fill the rubric in, and submit it."""
    form = _showcard(card, "Review this")["card"]
    [submit] = [a for a in form["actions"] if a["type"] == "Action.Execute"]
    values: dict[str, str] = {"decision": decision}
    for element in form["body"]:
        if element.get("type") == "Input.ChoiceSet" and element["id"].startswith("lv-"):
            choices = [c["value"] for c in element["choices"]]
            values[element["id"]] = choices[-1] if decision == "approve" else choices[0]
        elif element.get("type") == "Input.Text" and comment:
            values[element["id"]] = comment
    extra = _channel_activity(teams, parent_id)
    turn = await teams.execute(user, submit, values, reply_to=parent_id, **extra)
    assert turn.status == 200
    body: dict[str, Any] = turn.body
    return body


async def _parent_id(services: Application) -> str:
    [parent] = [p for p in await h.rows(services.database, PeerPost) if p.kind == "parent"]
    assert parent.ref is not None
    return parent.ref.rpartition("|")[2]


async def test_a_portfolio_is_reviewed_in_a_channel_reply_chain(
    teams: tuple[TeamsDriver, Application], peers: Catalog
) -> None:
    driver, services = teams
    db = services.database
    for user in ("ann", "bea", "cem", "dov"):
        await driver.install(user)
    data = {"tenant": {"id": "tenant-1"}, "team": {"id": "19:team@thread.tacv2"}}
    conversation = {"id": CHANNEL, "conversationType": "channel", "tenantId": "tenant-1"}
    await driver.post(
        driver.activity(
            "lead",
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}],
            conversation=conversation,
            channelData=data,
        )
    )
    await h.bind_reviews(db, "teams:tenant-1", BOUND)
    for identity, name in ((BEA, "Bea"), (CEM, "Cem")):
        await h.reviewer(db, identity, "effective-feedback", name)
        await h.calibrated(db, identity, peers, "effective-feedback")
    await h.person(db, ANN, "Ann")
    question = await h.jump_to_portfolio(db, ANN, peers, "effective-feedback")
    card = (await driver.say("ann", "next")).cards[-1]
    submit = next(a for a in executes(card) if a["title"] == "Submit answer")
    turn = await driver.execute("ann", submit, {"answer": "My SBI feedback plan, version 1."})
    assert turn.status == 200
    await _settle(services)

    posted = driver.connector.delivered("send", CHANNEL)
    parent = next(c.card for c in posted if c.card and "Portfolio review" in card_text(c.card))
    parent_id = await _parent_id(services)
    assert "Pending · 0 of 2 approvals" in card_text(parent)
    assert "{{DATE(" in card_text(parent)  # each reader sees the due date in their time zone
    invites = [c for c in driver.connector.delivered("send", "a:bea") if c.card]
    assert any("Review request" in card_text(c.card or {}) for c in invites)

    # Someone not asked is refused privately (the invoke response), nothing is recorded.
    refused = await _review(driver, "dov", parent, parent_id, "approve")
    assert "Only the reviewers asked" in str(refused.get("value"))
    assert await h.rows(db, PeerDecision) == []

    said = await _review(driver, "bea", parent, parent_id, "approve", "Specific and kind")
    assert "1 of 2 approvals so far" in str(said.get("value"))
    await _settle(services)
    thread = f"{CHANNEL};messageid={parent_id}"
    chain = [card_text(c.card or {}) for c in driver.connector.delivered("reply", thread)]
    assert any("Bea approved version 1" in r for r in chain)
    updates = [c for c in driver.connector.delivered("update") if c.activity_id == parent_id]
    assert updates and "1 of 2 approvals" in card_text(updates[-1].card or {})

    await _review(driver, "cem", parent, parent_id, "changes", "Name the impact")
    await _settle(services)
    feedback = [card_text(c.card or {}) for c in driver.connector.delivered("send", "a:ann")]
    assert any("Changes requested" in f and "Name the impact" in f for f in feedback)
    last = next(
        c.card
        for c in reversed(driver.connector.delivered("send", "a:ann"))
        if c.card and "Changes requested" in card_text(c.card)
    )
    form = _showcard(last, "Revise and resubmit…")["card"]
    [send] = [a for a in form["actions"] if a["type"] == "Action.Execute"]
    values = {"answer": "Version 2 with the impact named", "intent": "submit", "named": "yes"}
    assert (await driver.execute("ann", send, values)).status == 200
    await _settle(services)

    updated = [c for c in driver.connector.delivered("update") if c.activity_id == parent_id]
    parent = updated[-1].card or {}  # everyone sees the post edited: version 2 is up
    assert "version 2" in card_text(parent)
    for user in ("bea", "cem"):
        await _review(driver, user, parent, parent_id, "approve")
    await _settle(services)
    updates = [c for c in driver.connector.delivered("update") if c.activity_id == parent_id]
    final = card_text(updates[-1].card or {})
    assert "Approved · 2 of 2 approvals" in final and "by Ann" in final  # she agreed to be named
    attempts = [a for a in await h.rows(db, Attempt) if a.question_id == question.id]
    assert [a.status for a in attempts] == ["superseded", "scored"]
    assert attempts[-1].points == question.rubric.max_points
    for call in driver.connector.calls:  # every card peer review sent is valid Adaptive Card 1.5
        if call.card is not None and card_validator() is not None:
            assert card_errors(call.card) == [], card_text(call.card)[:200]
