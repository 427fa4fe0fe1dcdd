"""A bundled program, finished and its portfolio approved by a reviewer, earns verifiable badges."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.application import Application
from bot.content import Catalog
from bot.credentials import verify
from bot.marking.rescore import rescore
from bot.settings import PROJECT_ROOT
from storage.models import Attempt, BadgeAward
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import badge_settings, serving
from tests.credentials.test_ob3 import fetch, independent_payload
from tests.driver import all_text
from tests.fakes.messenger import FakeMessenger
from tests.learning.test_journey import work_through

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


@pytest.fixture
async def bundled(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> AsyncIterator[Application]:
    built = Application.build(badge_settings(sqlite_url, tmp_path, PROJECT_ROOT), catalog=catalog)
    yield built
    await built.stop()


async def finish_with_review(services: Application, learner: Learner, program_id: str) -> str:
    """Work through the program, then a reviewer approves the pending portfolio work."""
    await work_through(learner, services.catalog, program_id)
    async with services.database.transaction() as session:
        pending = list(await session.scalars(select(Attempt).where(Attempt.status == "pending")))
        assert pending, "the portfolio answer waits for review"
        for attempt in pending:
            await rescore(
                session,
                catalog=services.catalog,
                hooks=services.hooks,
                attempt_id=attempt.id,
                actor="local:reviewer",
                source="review",
                points=attempt.max_points,
                reason="Approved by two peers",
            )
        uid = await session.scalar(
            select(BadgeAward.uid).where(BadgeAward.program_id == program_id)
        )
    assert uid
    return uid


async def test_a_bundled_program_earns_badges_that_verify(bundled: Application) -> None:
    slack = FakeMessenger("slack")
    bundled.messengers.register(slack)
    learner = Learner(bundled.router, "U7", workspace="slack:T1", email="ann@example.com")
    uid = await finish_with_review(bundled, learner, "secure-coding")
    await bundled.credentials.announcer.drain()
    [earned] = slack.direct  # approved by someone else: a DM
    assert earned.to == "slack:T1:U7"
    assert "You earned Secure Coding Essentials" in all_text(earned.message)
    async with serving(bundled) as base:
        for url in (f"{base}/ob2/assertions/{uid}", f"{base}/ob3/credentials/{uid}.jwt"):
            result = await verify(url, recipient="ann@example.com")
            assert result.ok, (url, result.reason)
        token = (await fetch(f"{base}/ob3/credentials/{uid}.jwt")).decode()
        jwks = json.loads(await fetch(f"{base}/.well-known/jwks.json"))
        credential = independent_payload(token, jwks)
        achievement = credential["credentialSubject"]["achievement"]
        assert achievement["name"] == "Secure Coding Essentials"
        assert {a["targetFramework"] for a in achievement["alignment"]} >= {"OWASP ASVS 4.0"}
        [work] = [e for e in credential["evidence"] if e.get("id") == "https://example.com/work"]
        assert (
            work["genre"] == "Portfolio" and "Scored 14 of 14 points (100%)" in work["description"]
        )
        # scored by an admin, not by peers: the badge says so, whatever the criteria text claims
        assert "scored by a person directly, without peer review" in work["description"]
        assert "without peer review" in credential["credentialSubject"]["narrative"]
        assert "Assessed for this award" in achievement["criteria"]["narrative"]
        scores = [e["description"] for e in credential["evidence"] if e["genre"] == "Quiz"]
        assert scores == ["Scored 9 of 9 points (100%).", "Scored 7 of 7 points (100%)."]
        assertion = json.loads(await fetch(f"{base}/ob2/assertions/{uid}"))
        assert [e.get("id") for e in assertion["evidence"]][-1] == "https://example.com/work"
        assert "without peer review" in assertion["narrative"]
