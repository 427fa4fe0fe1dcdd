"""Peer review without Slack or Teams: every bundled task, drafts, bad input, availability."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.application import Application
from bot.content import Catalog
from bot.core.views import Form, Reply
from bot.settings import Settings
from storage.models import Attempt, PeerAssignment, PeerDraft, PeerSubmission, PointsEntry
from storage.queries.org import grant_role
from storage.queries.people import ensure_person, person_by_identity
from storage.queries.privacy import export_person
from tests.driver import Learner
from tests.review import helpers as h
from tests.review.library import WRITEUP


@pytest.fixture
async def services(sqlite_url: str, peers: Catalog) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=sqlite_url), catalog=peers)
    yield built
    await built.stop()


def _fields(reply: Reply) -> set[str]:
    return {
        f.name for m in reply.messages for b in m.blocks if isinstance(b, Form) for f in b.fields
    }


async def _drain(services: Application) -> None:
    await services.reviews.drain()


@pytest.mark.parametrize("program_id", ["secure-coding", "effective-feedback", "data-privacy"])
async def test_every_bundled_portfolio_task_is_reviewed_and_decided(
    services: Application, peers: Catalog, program_id: str
) -> None:
    db = services.database
    for name in ("bea", "cem"):
        await h.reviewer(db, f"local:{name}", program_id, name.title())
    question = await h.jump_to_portfolio(db, "local:ann", peers, program_id)
    ann = Learner(services.router, "ann")
    await ann.say("next")
    assert "Sent to 2 reviewers" in ann.text(await ann.say(WRITEUP))
    await _drain(services)
    top = ",".join(c.levels[-1].id for c in question.rubric.criteria)
    for name in ("bea", "cem"):
        reviewer = Learner(services.router, name)
        first = reviewer.text(await reviewer.say("review 1"))
        assert "Calibration example 1 of 2" in first and "Portfolio review" in first
        for anchor in question.anchors:  # score each anchor as its reference says
            levels = " ".join(anchor.levels[c.id] for c in question.rubric.criteria)
            compared = reviewer.text(await reviewer.say(f"review calibrate {levels}"))
            assert "Agreement with the reference: 100%" in compared
        said = reviewer.text(await reviewer.say(f"review 1 approve {top} Well done"))
        assert "Your review is recorded" in said
    await _drain(services)
    [attempt] = [a for a in await h.rows(db, Attempt) if a.question_id == question.id]
    assert attempt.status == "scored" and attempt.points == question.rubric.max_points
    ledger = await h.rows(db, PointsEntry)
    assert len([p for p in ledger if p.kind == "review"]) == 2  # credit for each reviewer
    assert [p.kind for p in ledger if p.kind == "rubric"] == ["rubric"]  # and the learner
    overview = ann.text(await ann.say("portfolio"))
    assert "Approved · 2 of 2 approvals" in overview
    async with db.transaction() as session:  # both sides show up in `learners export`
        author = await export_person(session, person_id=await _id(session, "local:ann"))
        reviewer_data = await export_person(session, person_id=await _id(session, "local:bea"))
    [submitted] = author["peer_review"]["submissions"]
    assert submitted["status"] == "approved" and submitted["writeup"]
    [given] = reviewer_data["peer_review"]["reviews_given"]
    assert given["decision"] == "approve"


async def _id(session: AsyncSession, identity: str) -> int:
    person = await person_by_identity(session, identity=identity)
    assert person is not None
    return person.id


async def test_drafts_and_bad_input_keep_the_learners_text(
    services: Application, peers: Catalog
) -> None:
    db = services.database
    await h.reviewer(db, "local:bea", "peer-solo", "Bea")
    ann = Learner(services.router, "ann")
    await ann.say("start peer-solo")
    shown = await ann.say("portfolio")  # the rubric, and the form with a draft option
    assert "Rubric" in ann.text(shown)
    assert {"answer", "links", "named", "intent"} <= _fields(shown)
    kept = ann.text(await ann.say("portfolio draft First thoughts on caching"))
    assert "Draft kept" in kept
    [draft] = await h.rows(db, PeerDraft)
    assert draft.writeup == "First thoughts on caching"
    form = ann.text(await ann.say("portfolio"))
    assert "Your draft is filled in above" in form

    empty = await ann.click(
        "Send", {"answer": "   ", "links": "https://x.example", "intent": "submit"}
    )
    assert "write-up is empty" in empty.refused and await h.rows(db, PeerSubmission) == []
    long = "x" * 3100  # the task allows 3000 characters
    too_long = await ann.click("Send", {"answer": long, "intent": "submit"})
    assert "the limit is 3000" in too_long.refused and long in ann.text(too_long)
    [draft] = await h.rows(db, PeerDraft)
    assert draft.writeup == long  # nothing written is lost

    sent = await ann.click(
        "Send", {"answer": WRITEUP, "links": "https://doc.example/1", "intent": "submit"}
    )
    assert "Sent to 1 reviewer" in ann.text(sent)
    [sub] = await h.rows(db, PeerSubmission)
    assert sub.writeup == WRITEUP and sub.links == "https://doc.example/1"
    assert await h.rows(db, PeerDraft) == []  # the draft is gone once submitted
    again = ann.text(await ann.say("portfolio submit Another go"))
    assert "No portfolio task is open" in again or "already with your reviewers" in again


async def test_opting_out_hands_open_reviews_to_someone_else(
    services: Application, peers: Catalog
) -> None:
    db = services.database
    for name in ("bea", "cem", "fay"):
        await h.reviewer(db, f"local:{name}", "peer-anon", name.title())
    ann = Learner(services.router, "ann")
    await ann.say("start peer-anon")
    await ann.say(WRITEUP)
    await _drain(services)
    bea = Learner(services.router, "bea")
    said = bea.text(await bea.say("review off"))
    assert "went to other reviewers" in said
    rows = await h.rows(db, PeerAssignment)
    assert sorted(a.status for a in rows) == ["active", "active", "released"]
    paused = bea.text(await bea.say("review pause 3"))
    assert "3 days" in paused
    cy = Learner(services.router, "cy")  # a paused reviewer is not asked
    await cy.say("start peer-anon")
    await cy.say(WRITEUP)
    [_, second] = await h.rows(db, PeerSubmission)
    asked = {
        a.reviewer_id for a in await h.rows(db, PeerAssignment) if a.submission_id == second.id
    }
    bea_id = await h.person(db, "local:bea")
    assert len(asked) == 2 and bea_id not in asked
    assert "can be asked to review again" in bea.text(await bea.say("review on"))
    outsider = Learner(services.router, "dov")
    refused = outsider.text(await outsider.say("review 1 approve met,met"))
    assert "Only the reviewers asked" in refused
    assert "your own work" in ann.text(await ann.say("review 1"))


async def test_an_admins_direct_score_settles_the_thread(
    services: Application, peers: Catalog
) -> None:
    db = services.database
    await h.reviewer(db, "local:bea", "peer-solo", "Bea")
    ann = Learner(services.router, "ann")
    await ann.say("start peer-solo")
    await ann.say(WRITEUP)
    await _drain(services)
    async with db.transaction() as session:
        admin = await ensure_person(session, identity="local:root", display_name="Root")
        await grant_role(session, person=admin, role="admin")
    root = Learner(services.router, "root")
    [attempt] = await h.rows(db, Attempt)
    await root.say(f"marking {attempt.id}")
    saved = root.text(await root.click("Save score", {"level-why": "met", "level-checks": "met"}))
    assert "The quiz is now passed" in saved
    await _drain(services)
    [sub] = await h.rows(db, PeerSubmission)
    assert sub.status == "settled"
    bea = Learner(services.router, "bea")
    assert "No portfolio is waiting" in bea.text(await bea.say("review"))
