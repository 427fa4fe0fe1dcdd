"""Decisions at the same moment, on SQLite and PostgreSQL with committed data, over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.content import Catalog
from storage.models import PeerDecision, PeerSubmission, ScoreRecord
from tests.channels.slack.driver import SlackDriver, text_of
from tests.review import helpers as h
from tests.review.library import WRITEUP
from tests.review.slack_steps import (
    opener,
    parents,
    replies,
    review_values,
    settle,
    submit_in_modal,
)

ANN, BEA, CEM = "slack:T1:U1", "slack:T1:U2", "slack:T1:U3"


async def _open_form(slack: SlackDriver, user: str, parent: dict[str, Any]) -> dict[str, Any]:
    fresh = slack.fake.messages[(parent["channel"], parent["ts"])]
    before = len(slack.fake.calls_to("views.open"))
    await slack.click(user, fresh, opener(fresh, "Review this"))
    view: dict[str, Any] = slack.fake.calls_to("views.open")[before].args["view"]
    return view


async def test_two_reviewers_and_a_double_click_at_the_same_moment(
    slack_any: SlackDriver, peers: Catalog
) -> None:
    slack = slack_any
    db = slack.services.database
    for identity, name in ((BEA, "Bea"), (CEM, "Cem")):
        await h.reviewer(db, identity, "peer-open", name)
        await h.calibrated(db, identity, peers, "peer-open")
    await h.bind_reviews(db, "slack:T1", "slack:T1:CREV")
    await h.jump_to_portfolio(db, ANN, peers, "peer-open")
    await slack.command("U1", "next")
    await submit_in_modal(slack, "U1", WRITEUP)
    [parent] = parents(slack)
    approve = review_values(h.portfolio_of(peers, "peer-open"), "approve")
    bea, cem = await _open_form(slack, "U2", parent), await _open_form(slack, "U3", parent)
    bea_again = await _open_form(slack, "U2", parent)

    responses = await asyncio.gather(
        slack.submit("U2", bea, approve),
        slack.submit("U3", cem, approve),
        slack.submit("U2", bea_again, approve),  # a double click from another form
    )
    assert [r.status for r in responses] == [200, 200, 200]
    await settle(slack)

    decisions = await h.rows(db, PeerDecision)
    assert sorted(d.reviewer_id or 0 for d in decisions) == sorted(
        {d.reviewer_id or 0 for d in decisions}
    )  # one decision per reviewer
    assert len(decisions) == 2
    [sub] = await h.rows(db, PeerSubmission)
    assert sub.status == "approved" and sub.final_points == 3
    scored = [r for r in await h.rows(db, ScoreRecord) if r.source == "peer-review"]
    assert len(scored) == 1  # the quorum closed once
    thread = replies(slack, parent)
    assert len([r for r in thread if "Approved. The learner was told" in r]) == 1
    assert len([r for r in thread if "approved version 1" in r]) == 2
    final = text_of(slack.fake.messages[(parent["channel"], parent["ts"])])
    assert "Approved · 2 of 2 approvals" in final
    results = [text_of(m) for m in slack.dms("U1") if "3 of 3 points" in text_of(m)]
    assert len(results) == 1  # the learner hears it once
