"""The approvals a portfolio needs are the program's number, and the badge says who decided.

Through Slack (the fake Web API) and the badge documents the server publishes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from bot.content import Catalog
from bot.settings import PROJECT_ROOT
from storage.models import AdminAlert, BadgeAward
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import SlackDriver, text_of
from tests.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from tests.review import helpers as h
from tests.review.conftest import REVIEW_CHANNEL
from tests.review.slack_steps import (
    dm_text,
    ephemerals,
    parents,
    replies,
    review,
    review_values,
    settle,
    submit_in_modal,
)

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
ANN, BEA, CEM = "slack:T1:U1", "slack:T1:U2", "slack:T1:U3"
SCHEMA = (
    PROJECT_ROOT.parent
    / "shared"
    / "conformance"
    / "openbadges3"
    / "schema"
    / "ob_v3p0_achievementcredential_schema.json"
)


@pytest.fixture
async def slack(
    db_url: str, peers: Catalog, fake_slack: FakeSlack, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[SlackDriver]:
    """Peer review on a fake clock (SQLite and PostgreSQL); badges signed with a test key."""
    fake_slack.users["U1"]["email"] = "ann@example.com"  # so the credentials are issued
    driver = await start_slack(db_url, peers, fake_slack, keys_dir=tmp_path / "keys")
    assert driver.services.reviews is not None
    driver.services.reviews.use_clock(clock)
    yield driver
    await driver.client.close()
    assert fake_slack.problems == []


async def _reviewers(slack: SlackDriver, peers: Catalog, program_id: str, *who: str) -> None:
    db = slack.services.database
    for identity in who:
        name = {BEA: "Bea", CEM: "Cem"}[identity]
        await h.reviewer(db, identity, program_id, name)
        await h.calibrated(db, identity, peers, program_id)


async def _submit(slack: SlackDriver, peers: Catalog, program_id: str) -> dict[str, Any]:
    db = slack.services.database
    await h.bind_reviews(db, "slack:T1", f"slack:T1:{REVIEW_CHANNEL}")
    await h.jump_to_portfolio(db, ANN, peers, program_id)
    await slack.command("U1", "next")
    await submit_in_modal(slack, "U1", "We queue uploads because the API timed out; load-tested.")
    [parent] = parents(slack)
    return parent


def _parent_now(slack: SlackDriver, parent: dict[str, Any]) -> str:
    return text_of(slack.fake.messages[(REVIEW_CHANNEL, parent["ts"])])


async def _sweep(slack: SlackDriver) -> None:
    assert slack.services.reviews is not None
    await slack.services.reviews.sweep()
    await settle(slack)


async def _awards(slack: SlackDriver) -> list[BadgeAward]:
    return await h.rows(slack.services.database, BadgeAward)


async def _published(slack: SlackDriver, uid: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The badge page, the OB 3.0 credential (schema-checked) and the OB 2.0 assertion."""
    page = await (await slack.client.get(f"/badges/{uid}")).text()
    credential = json.loads(await (await slack.client.get(f"/ob3/credentials/{uid}")).text())
    checker = FormatChecker()
    schema = json.loads(SCHEMA.read_text())
    assert list(Draft201909Validator(schema, format_checker=checker).iter_errors(credential)) == []
    assertion = json.loads(await (await slack.client.get(f"/ob2/assertions/{uid}")).text())
    return page, credential, assertion


async def test_one_eligible_reviewer_waits_for_a_second_and_the_badge_names_two(
    slack: SlackDriver, peers: Catalog, clock: FakeClock
) -> None:
    await _reviewers(slack, peers, "peer-open", BEA)  # the only one eligible at submission
    parent = await _submit(slack, peers, "peer-open")
    told = dm_text(slack, "U1")
    assert "Sent to 1 reviewer; it needs 2 approvals" in told
    assert "it waits for a second reviewer" in told
    assert "Pending · 0 of 2 approvals · waiting for a second reviewer" in _parent_now(
        slack, parent
    )
    alerts = await h.rows(slack.services.database, AdminAlert)
    assert [a.subject for a in alerts] == ["portfolio #1: waiting for reviewers"]

    said = len(replies(slack, parent))
    await _sweep(slack)  # nobody new yet: nothing to say, nothing asked
    assert len(replies(slack, parent)) == said

    question = h.portfolio_of(peers, "peer-open")
    await review(slack, "U2", parent, review_values(question, "approve"))
    assert any(
        "1 of 2 approvals so far. It waits for a second reviewer" in e
        for e in ephemerals(slack, "U2")
    )
    assert (await h.only_submission(slack.services.database)).status == "open"
    assert await _awards(slack) == []  # one approval does not issue the badge

    await _reviewers(slack, peers, "peer-open", CEM)  # a second reviewer becomes eligible
    clock.advance(minutes=5)
    await _sweep(slack)
    assert "Review request" in dm_text(slack, "U3")
    thread = replies(slack, parent)
    assert any("Another reviewer was asked now that more people can review" in r for r in thread)
    assert any("2 reviewers can review this now: 2 approvals decide" in r for r in thread)
    assert "now has 2 reviewers: 2 approvals decide" in dm_text(slack, "U1")
    assert "Pending · 1 of 2 approvals" in _parent_now(slack, parent)
    assert "waiting" not in _parent_now(slack, parent)

    await review(slack, "U3", parent, review_values(question, "approve"))
    assert "Approved · 2 of 2 approvals" in _parent_now(slack, parent)
    [award] = await _awards(slack)
    assert "Assessed for this award: Design note: approved by 2 peer reviewers." in dm_text(
        slack, "U1"
    )
    page, credential, assertion = await _published(slack, award.uid)
    assert "approved by 2 peer reviewers" in page and "Explains why: Met" in page
    [work] = credential["evidence"]
    assert work["genre"] == "Portfolio"
    assert work["description"] == (
        "Scored 3 of 3 points (100%). Portfolio work assessed against the published rubric "
        "and approved by 2 peer reviewers."
    )
    assert "Explains why: Met; Plans checks: Met" in work["narrative"]
    criteria = credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert criteria == (
        "A design note approved by two peer reviewers. "
        "Assessed for this award: Design note: approved by 2 peer reviewers."
    )
    assert "approved by 2 peer reviewers" in assertion["narrative"]


async def test_with_min_reviewers_one_approval_decides_and_the_badge_says_one(
    slack: SlackDriver, peers: Catalog
) -> None:
    await _reviewers(slack, peers, "peer-min", BEA)  # `review.min_reviewers: 1`, nobody else
    parent = await _submit(slack, peers, "peer-min")
    told = dm_text(slack, "U1")
    assert "Sent to 1 reviewer." in told
    assert "It accepts 1 approval when no second reviewer is available" in told
    assert "Pending · 0 of 1 approval" in _parent_now(slack, parent)
    assert await h.rows(slack.services.database, AdminAlert) == []

    question = h.portfolio_of(peers, "peer-min")
    await review(slack, "U2", parent, review_values(question, "approve"))
    assert any("last approval needed" in e for e in ephemerals(slack, "U2"))
    [award] = await _awards(slack)
    fact = (
        "approved by 1 peer reviewer (the program accepts 1 when no second reviewer is available)"
    )
    assert fact in dm_text(slack, "U1")
    page, credential, assertion = await _published(slack, award.uid)
    assert fact in page
    criteria = credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert criteria.startswith("A design note approved by two peer reviewers.")  # the author's
    assert "Portfolio work is approved by 2 peer reviewers, or by 1 when no second" in criteria
    assert f"Assessed for this award: Design note: {fact}." in criteria
    assert fact in credential["evidence"][0]["description"]
    assert "two peer reviewers" not in credential["credentialSubject"]["narrative"]
    assert fact in assertion["narrative"]
    # the program's own page and badge class state the rule, not this award's facts
    badge_class = json.loads(await (await slack.client.get("/ob2/badges/peer-min")).text())
    assert "or by 1 when no second reviewer is available" in badge_class["criteria"]["narrative"]
    assert "Assessed for this award" not in badge_class["criteria"]["narrative"]


async def test_a_reviewer_leaving_never_lowers_the_quorum(
    slack: SlackDriver, peers: Catalog
) -> None:
    slack.fake.users["U3"]["dm_error"] = "user_disabled"  # Cem left the workspace
    await _reviewers(slack, peers, "peer-open", BEA, CEM)
    parent = await _submit(slack, peers, "peer-open")
    thread = replies(slack, parent)
    assert any("waits for a second reviewer" in r for r in thread)
    sub = await h.only_submission(slack.services.database)
    assert (sub.wanted, sub.required) == (2, 2)
    assert "waiting for a second reviewer" in _parent_now(slack, parent)
    alerts = await h.rows(slack.services.database, AdminAlert)
    assert [a.subject for a in alerts] == ["portfolio #1: waiting for reviewers"]

    question = h.portfolio_of(peers, "peer-open")
    await review(slack, "U2", parent, review_values(question, "approve"))
    assert (await h.only_submission(slack.services.database)).status == "open"
    assert "Pending · 1 of 2 approvals" in _parent_now(slack, parent)
    assert await _awards(slack) == []


async def test_with_min_reviewers_a_reviewer_stepping_back_lets_the_minimum_decide(
    slack: SlackDriver, peers: Catalog
) -> None:
    await _reviewers(slack, peers, "peer-min", BEA, CEM)
    parent = await _submit(slack, peers, "peer-min")
    assert "Pending · 0 of 2 approvals" in _parent_now(slack, parent)  # both eligible: 2
    question = h.portfolio_of(peers, "peer-min")
    await review(slack, "U2", parent, review_values(question, "approve"))
    assert await _awards(slack) == []

    await slack.command("U3", "review off")  # Cem steps back; nobody else can review
    await settle(slack)
    sub = await h.only_submission(slack.services.database)
    assert (sub.status, sub.required) == ("approved", 1)
    thread = replies(slack, parent)
    assert any("accepts 1 approval when no second reviewer is available" in r for r in thread)
    [award] = await _awards(slack)
    [work] = award.evidence
    assert (
        "approved by 1 peer reviewer (the program accepts 1 when no second" in work["description"]
    )


async def test_the_sweep_does_not_fill_a_short_pool_with_admins(
    slack: SlackDriver, peers: Catalog
) -> None:
    await _reviewers(slack, peers, "peer-open", BEA)
    async with slack.services.database.transaction() as session:
        boss = await ensure_person(session, identity="slack:T1:U4", display_name="Dov")
        await grant_role(session, person=boss, role="admin")
    parent = await _submit(slack, peers, "peer-open")
    await _sweep(slack)
    assert "Review request" not in dm_text(slack, "U4")  # admins are alerted, not drafted
    assert "waiting for a second reviewer" in _parent_now(slack, parent)
    assert (await h.only_submission(slack.services.database)).required == 2
