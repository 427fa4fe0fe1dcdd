"""Allocation that repairs itself, on a controllable clock: remind, reassign, escalate, replace."""

from __future__ import annotations

from bot.content import Catalog
from bot.review import admin
from storage.models import PeerAssignment, PeerSubmission
from tests.channels.slack.driver import SlackDriver, text_of
from tests.clock import FakeClock
from tests.review import helpers as h
from tests.review.conftest import REVIEW_CHANNEL
from tests.review.slack_steps import (
    dm_text,
    parents,
    replies,
    review,
    review_values,
    settle,
    submit_in_modal,
)

ANN, BEA, CEM, FAY, ELI = (f"slack:T1:U{n}" for n in (1, 2, 3, 6, 5))


async def _start(slack: SlackDriver, peers: Catalog, clock: FakeClock) -> None:
    db = slack.services.database
    for identity, name in ((BEA, "Bea"), (CEM, "Cem"), (FAY, "Fay")):
        await h.reviewer(db, identity, "secure-coding", name)
        await h.calibrated(db, identity, peers, "secure-coding")
    await h.team(db, ELI, ANN)
    await h.bind_reviews(db, "slack:T1", f"slack:T1:{REVIEW_CHANNEL}")
    await h.jump_to_portfolio(db, ANN, peers, "secure-coding")
    await slack.command("U1", "next")
    await submit_in_modal(slack, "U1", "My threat model for the upload endpoint.")


async def _sweep(slack: SlackDriver) -> None:
    assert slack.services.reviews is not None
    await slack.services.reviews.sweep()
    await settle(slack)


async def test_remind_then_reassign_then_escalate(
    slack: SlackDriver, peers: Catalog, clock: FakeClock
) -> None:
    await _start(slack, peers, clock)
    [parent] = parents(slack)
    asked = {a.reviewer_id for a in await h.rows(slack.services.database, PeerAssignment)}
    assert len(asked) == 2

    clock.advance(hours=24, minutes=30)  # Tuesday 08:30 UTC: due, but before working hours
    await _sweep(slack)
    assert not any("reminded" in r for r in replies(slack, parent))
    clock.advance(minutes=31)  # 09:01 UTC: inside the reviewers' working hours
    await _sweep(slack)
    reminded = [r for r in replies(slack, parent) if "was reminded" in r]
    assert len(reminded) == 2 and all("no decision after 24 h" in r for r in reminded)
    assert "A reminder" in dm_text(slack, "U2") and "A reminder" in dm_text(slack, "U3")
    await _sweep(slack)  # a reminder goes once
    assert len([r for r in replies(slack, parent) if "was reminded" in r]) == 2

    question = h.portfolio_of(peers, "secure-coding")
    await review(slack, "U2", parent, review_values(question, "approve"))  # Bea decides in time

    clock.advance(hours=48)  # 73 h after asking: Cem (no decision) is replaced; Bea is not
    await _sweep(slack)
    thread = replies(slack, parent)
    assert any("Reassigned: Cem had no decision after 72 h" in r for r in thread)
    assert "No need to review" in dm_text(slack, "U3")
    assert "Review request" in dm_text(slack, "U6")  # Fay takes over
    states = {
        a.reviewer_id: a.status for a in await h.rows(slack.services.database, PeerAssignment)
    }
    assert sorted(states.values()) == ["active", "active", "replaced"]
    current = text_of(slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])])
    assert "Pending · 1 of 2 approvals" in current

    clock.advance(hours=48)  # 121 h without a decision on this version: the team lead joins
    await _sweep(slack)
    assert any("Escalated to the team lead" in r for r in replies(slack, parent))
    assert "A review is overdue" in dm_text(slack, "U5")
    reviews = slack.services.reviews
    assert reviews is not None
    async with slack.services.database.transaction() as session:
        [row] = await admin.pending(session, reviews.env, workspace_id="slack:T1")
    assert row.escalated and {r.state for r in row.reviewers} >= {"approved", "replaced"}
    assert any(r.source == "escalation" for r in row.reviewers)


async def test_a_reviewer_who_left_is_replaced(
    slack: SlackDriver, peers: Catalog, clock: FakeClock
) -> None:
    slack.fake.users["U3"]["dm_error"] = "user_disabled"  # Cem left the workspace
    await _start(slack, peers, clock)
    [parent] = parents(slack)
    assert any("can no longer be reached" in r for r in replies(slack, parent))
    assert "Review request" in dm_text(slack, "U6")  # Fay was asked instead
    rows = await h.rows(slack.services.database, PeerAssignment)
    assert sorted(a.status for a in rows) == ["active", "active", "left"]


async def test_an_unreachable_review_channel_moves_the_thread_to_direct_messages(
    slack: SlackDriver, peers: Catalog
) -> None:
    slack.fake.add_channel("CPRIV", public=False, member=False)  # private, bot not invited
    db = slack.services.database
    for identity, name in ((BEA, "Bea"), (CEM, "Cem")):
        await h.reviewer(db, identity, "peer-solo", name)
    await h.bind_reviews(db, "slack:T1", "slack:T1:CPRIV")
    await h.jump_to_portfolio(db, ANN, peers, "peer-solo")
    await slack.command("U1", "next")
    await submit_in_modal(slack, "U1", "A note that needs a home.")
    assert parents(slack, "CPRIV") == []
    [sub] = await h.rows(db, PeerSubmission)
    assert sub.channel is None  # the thread now lives in the reviewer's DMs
    assert "Portfolio review" in dm_text(slack, "U2")
