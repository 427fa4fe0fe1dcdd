"""A portfolio reviewed in a Slack thread, over HTTP against the fake Web API."""

from __future__ import annotations

import re

from bot.content import Catalog
from storage.models import Attempt, PeerDecision, ScoreRecord
from tests.channels.slack.driver import SlackDriver, text_of
from tests.review import helpers as h
from tests.review.conftest import REVIEW_CHANNEL
from tests.review.slack_steps import (
    dm_text,
    ephemerals,
    open_and_submit,
    parents,
    refusal,
    replies,
    review,
    review_values,
    submit_in_modal,
    with_opener,
)

ANN, BEA, CEM, DOV = "slack:T1:U1", "slack:T1:U2", "slack:T1:U3", "slack:T1:U4"


async def _setup(slack: SlackDriver, peers: Catalog, program_id: str) -> None:
    db = slack.services.database
    for identity, name in ((BEA, "Bea"), (CEM, "Cem")):
        await h.reviewer(db, identity, program_id, name)
        await h.calibrated(db, identity, peers, program_id)
    await h.person(db, DOV, "Dov")
    await h.bind_reviews(db, "slack:T1", f"slack:T1:{REVIEW_CHANNEL}")


async def test_submit_review_in_thread_resubmit_and_pass(
    slack: SlackDriver, peers: Catalog
) -> None:
    await _setup(slack, peers, "secure-coding")
    question = await h.jump_to_portfolio(slack.services.database, ANN, peers, "secure-coding")
    await slack.command("U1", "next")
    response = await submit_in_modal(slack, "U1", "Threat model v1: upload API, STRIDE table.")
    assert refusal(await response.text()) == ""
    assert "Sent to 2 reviewers" in dm_text(slack, "U1")

    [parent] = parents(slack)  # the thread starts in the bound review channel
    shown = text_of(parent)
    assert "Portfolio review" in shown and "Pending · 0 of 2 approvals" in shown
    assert "Threat model v1" in shown and "<!date^" in shown and "by a learner" in shown
    for user in ("U2", "U3"):  # invited by DM, never @-mentioned in the channel
        assert "Review request" in dm_text(slack, user)
    assert "<@" not in shown

    # Someone who was not asked, and the author, are refused privately; nothing changes.
    for user, expected in (("U4", "Only the reviewers asked"), ("U1", "your own work")):
        refused = await review(slack, user, parent, review_values(question, "approve"))
        assert expected in refusal(await refused.text())
    assert await h.rows(slack.services.database, PeerDecision) == []

    # One approves, one requests changes: both show in the thread, no scores in the channel.
    ok = await review(slack, "U2", parent, review_values(question, "approve", comment="Clear"))
    assert refusal(await ok.text()) == ""
    assert any("1 of 2 approvals so far" in e for e in ephemerals(slack, "U2"))
    assert "Pending · 1 of 2 approvals" in text_of(
        slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])]
    )
    changes = review_values(question, "changes", level="low", comment="Add an owner per threat")
    assert refusal(await (await review(slack, "U3", parent, changes)).text()) == ""
    thread = replies(slack, parent)
    assert any("Bea approved version 1" in r for r in thread)
    assert any("Cem requested changes to version 1" in r for r in thread)
    assert not any("Add an owner" in r for r in thread)  # feedback goes to the learner only
    assert "Changes requested" in text_of(slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])])

    # The learner gets the consolidated feedback per criterion and resubmits in a modal.
    feedback = dm_text(slack, "U1")
    assert "Changes requested" in feedback and "Add an owner per threat" in feedback
    assert "Bea · Met" in feedback and "Cem · Not yet" in feedback
    message = with_opener(slack, "U1", "Revise and resubmit")
    values = {
        "answer": "Threat model v2 with owners",
        "links": "https://example.com/tm",
        "intent": "submit",
    }
    await open_and_submit(slack, "U1", message, "Revise and resubmit", values)
    assert any("Version 2 was submitted" in r for r in replies(slack, parent))
    assert "Threat model v2" in text_of(slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])])

    # Both approve version 2: the rubric score becomes the task's score.
    for user in ("U2", "U3"):
        await review(slack, user, parent, review_values(question, "approve"))
    final = text_of(slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])])
    assert "Approved · 2 of 2 approvals" in final and "Review this" not in final
    attempts = [
        a for a in await h.rows(slack.services.database, Attempt) if a.question_id == question.id
    ]
    assert [a.status for a in attempts] == ["superseded", "scored"]  # history kept
    assert attempts[1].points == question.rubric.max_points and attempts[1].correct
    assert attempts[1].scorer == "peer-review"
    records = await h.rows(slack.services.database, ScoreRecord)
    assert [r.source for r in records if r.attempt_id == attempts[1].id][-1] == "peer-review"
    result = dm_text(slack, "U1")
    assert f"{question.rubric.max_points:g} of {question.rubric.max_points:g} points" in result
    assert "What your reviewers said" in result
    for criterion in question.rubric.criteria:  # each title starts its own line
        assert re.search(rf"(^|\n)\*{re.escape(criterion.title)}\*", result), criterion.title
    # Reviewer agreement with the outcome is kept.
    decisions = await h.rows(slack.services.database, PeerDecision)
    assert [(d.version, d.decision, d.agreed) for d in decisions] == [
        (1, "approve", False),
        (1, "changes", True),
        (2, "approve", True),
        (2, "approve", True),
    ]


async def test_a_shared_file_a_draft_and_bad_input_in_slack(
    slack: SlackDriver, peers: Catalog
) -> None:
    await _setup(slack, peers, "peer-open")
    await h.jump_to_portfolio(slack.services.database, ANN, peers, "peer-open")
    await slack.command("U1", "next")
    permalink = "https://fake.slack.test/files/U1/F1/design.pdf"
    shared = {
        "type": "message",
        "subtype": "file_share",
        "channel": "DU1",
        "channel_type": "im",
        "user": "U1",
        "text": "",
        "ts": "1700000100.000001",
        "files": [{"id": "F1", "name": "design.pdf", "permalink": permalink}],
    }
    await slack.event(shared)
    assert "Added to your portfolio draft" in dm_text(slack, "U1")
    await slack.command("U1", "portfolio")
    form = with_opener(slack, "U1", "Write submission")
    before = len(slack.fake.calls_to("views.open"))
    empty = await open_and_submit(
        slack, "U1", form, "Write submission", {"answer": "  ", "intent": "submit"}
    )
    view = slack.fake.calls_to("views.open")[before].args["view"]
    links = next(b for b in view["blocks"] if b.get("block_id") == "mcf:links")
    assert links["element"]["initial_value"] == permalink  # the draft's link is filled in
    assert "write-up is empty" in refusal(await empty.text())  # the modal stays open
    too_long = await open_and_submit(
        slack, "U1", form, "Write submission", {"answer": "y" * 3001, "links": permalink}
    )
    assert "the limit is 3000" in refusal(await too_long.text())
    ok = await open_and_submit(
        slack, "U1", form, "Write submission", {"answer": "A short note", "links": permalink}
    )
    assert refusal(await ok.text()) == ""
    [parent] = parents(slack)
    assert permalink in text_of(parent) and "A short note" in text_of(parent)
