"""Calibration before a first review, and anonymous programs reviewed in direct messages."""

from __future__ import annotations

from bot.content import Catalog
from storage.models import PeerCalibration, PeerDecision, PeerSubmission
from tests.channels.slack.driver import SlackDriver, text_of
from tests.review import helpers as h
from tests.review.library import WRITEUP
from tests.review.slack_steps import (
    dm_text,
    open_and_submit,
    parents,
    refusal,
    review,
    review_values,
    settle,
    submit_in_modal,
    with_opener,
)

ANN, BEA, CEM = "slack:T1:U1", "slack:T1:U2", "slack:T1:U3"


async def _submit(slack: SlackDriver, peers: Catalog, program_id: str) -> None:
    await h.person(slack.services.database, ANN, "Ann")
    await h.jump_to_portfolio(slack.services.database, ANN, peers, program_id)
    await slack.command("U1", "next")
    await submit_in_modal(slack, "U1", WRITEUP)


async def test_a_new_reviewer_calibrates_before_the_first_review(
    slack: SlackDriver, peers: Catalog
) -> None:
    db = slack.services.database
    bea = await h.reviewer(db, BEA, "peer-open", "Bea")
    await h.reviewer(db, CEM, "peer-open", "Cem")
    await h.calibrated(db, CEM, peers, "peer-open")  # Cem calibrated before; Bea is new
    await h.bind_reviews(db, "slack:T1", "slack:T1:CREV")
    await _submit(slack, peers, "peer-open")
    question = h.portfolio_of(peers, "peer-open")
    assert "Calibration example 1 of 1" in dm_text(slack, "U2")
    assert "Calibration example" not in dm_text(slack, "U3")

    [parent] = parents(slack)
    early = await review(slack, "U2", parent, review_values(question, "approve"))
    assert "score the calibration example" in refusal(await early.text())
    assert await h.rows(db, PeerDecision) == []

    example = with_opener(slack, "U2", "Score this example")
    levels = {"lv-why": "partly", "lv-checks": "met"}  # the reference says met, met
    await open_and_submit(slack, "U2", example, "Score this example", levels)
    compared = dm_text(slack, "U2")
    assert "How your scores compare" in compared and "Agreement with the reference: 50%" in compared
    assert "you Partly · reference Met · ↔️ different" in compared
    assert "Calibrated: 50% agreement" in compared
    [row] = [c for c in await h.rows(db, PeerCalibration) if c.person_id == bea]
    assert row.agreement == 0.5 and row.levels == {"why": "partly", "checks": "met"}

    again = await open_and_submit(slack, "U2", example, "Score this example", levels)
    assert refusal(await again.text()) == ""  # scored once; a second try is "already recorded"
    assert len([c for c in await h.rows(db, PeerCalibration) if c.person_id == bea]) == 1

    ok = await review(slack, "U2", parent, review_values(question, "approve"))
    assert refusal(await ok.text()) == ""
    assert [d.decision for d in await h.rows(db, PeerDecision)] == ["approve"]


async def test_anonymous_programs_review_in_direct_messages_without_names(
    slack: SlackDriver, peers: Catalog
) -> None:
    db = slack.services.database
    for identity, name in ((BEA, "Bea"), (CEM, "Cem")):
        await h.reviewer(db, identity, "peer-anon", name)
    await h.bind_reviews(db, "slack:T1", "slack:T1:CREV")  # ignored: this program is private
    await _submit(slack, peers, "peer-anon")
    assert parents(slack) == []  # nothing in the channel
    question = h.portfolio_of(peers, "peer-anon")
    for user in ("U2", "U3"):
        seen = dm_text(slack, user)
        assert "Portfolio review" in seen and WRITEUP in seen
        assert "Ann" not in seen and "by a learner" in seen

    def parent_of(user: str) -> dict[str, object]:
        return next(m for m in slack.dms(user) if "Portfolio review" in text_of(m))

    await review(slack, "U2", parent_of("U2"), review_values(question, "approve", comment="Good"))
    changes = review_values(question, "changes", level="low", comment="Say why it changed")
    await review(slack, "U3", parent_of("U3"), changes)
    await settle(slack)
    feedback = dm_text(slack, "U1")
    assert "Reviewer 1 · Met" in feedback and "Reviewer 2 · Not yet" in feedback
    assert "Bea" not in feedback and "Cem" not in feedback
    for user in ("U2", "U3"):  # each reviewer's thread tells the news without names
        thread = [text_of(m) for m in slack.dms(user) if m.get("thread_ts")]
        assert any("Reviewer 1 approved version 1" in t for t in thread)
        assert not any("Bea" in t or "Cem" in t for t in thread)
    [sub] = await h.rows(db, PeerSubmission)
    assert sub.anonymous and sub.channel is None and sub.status == "changes_requested"
