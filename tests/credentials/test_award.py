"""Awarding: once per completion, under retries and concurrency, with e-mail and prerequisites."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from sqlalchemy import func, select

from bot.application import Application
from bot.channels.console.render import render_message
from bot.channels.teams.render import render_card
from bot.content import validate_library
from bot.core.views import Form
from bot.credentials import awards
from bot.learning.hooks import CompletionWithdrawn
from bot.learning.turn import Turn
from storage.models import BadgeAward, BadgeReminder, Enrollment, LearnerNotice, Person
from storage.queries.people import ensure_person
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import complete
from tests.driver import all_text, buttons


async def stored(services: Application) -> list[BadgeAward]:
    async with services.database.transaction() as session:
        return list(await session.scalars(select(BadgeAward).order_by(BadgeAward.id)))


async def test_completing_a_program_awards_its_badge_once(services: Application) -> None:
    learner = Learner(services.router, "U1", workspace="slack:T1", email="Ann@Example.com")
    await complete(learner)
    earned = [m for m in learner.inbox if "You earned Mini Badge" in all_text(m)]
    assert len(earned) == 1
    text = all_text(earned[0])
    assert "Badge page" in text and "Add to LinkedIn profile" in text and "linkedin.com" in text
    [award] = await stored(services)
    assert (award.program_id, award.edition, award.recipient_email) == (
        "mini",
        1,
        "ann@example.com",
    )
    assert award.identity_hash and award.identity_hash.startswith("sha256$")
    assert award.credential_jwt and award.expires_at is not None
    # the learner keeps talking, retries the last answer, asks again: still one award
    await learner.say("Situation-Behavior-Impact")
    await learner.say("next")
    assert len(await stored(services)) == 1
    async with services.database.transaction() as session:
        kinds = set(await session.scalars(select(BadgeReminder.kind)))
    assert kinds == {"30d", "7d"}


async def test_a_learner_without_email_is_asked_for_one(sqlite_services: Application) -> None:
    learner = Learner(sqlite_services.router, "ann")
    await complete(learner)
    earned = next(m for m in learner.inbox if "You earned Mini Badge" in all_text(m))
    assert "E-mail for your badge" in [getattr(b, "title", "") for b in earned.blocks]
    [award] = await stored(sqlite_services)
    assert award.issued_at is None and award.credential_jwt is None
    form = next(b for b in earned.blocks if isinstance(b, Form))
    assert "“Mini Badge”" in form.intro and "*" not in form.intro  # a label shows no Markdown
    shown = await learner.say("badges")
    listing = learner.text(shown)
    assert "Waiting for the e-mail address" in listing
    # the status and the prompt are two lines wherever it is read, not one run-on line
    assert re.search(r"valid until \S+\nWaiting for", render_message(shown.messages[0]))
    teams = json.dumps(render_card(shown.messages[0]))
    assert re.search(r"valid until [^\"]+\\nWaiting for", teams)
    bad = learner.text(await learner.say("badges email not-an-address"))
    assert "does not look like an e-mail address" in bad
    reply = await learner.click("Put it on my badge", {"email": "ann@example.org"})
    assert "ann@example.org is on your badges" in learner.text(reply)
    assert "Badge page" in learner.text(reply)
    [award] = await stored(sqlite_services)
    assert award.recipient_email == "ann@example.org" and award.credential_jwt


async def test_award_is_idempotent_under_concurrency(services: Application) -> None:
    """Eight concurrent awards of one badge, each in its own committed transaction."""
    ctx = services.credentials.ctx if services.credentials else None
    assert ctx is not None
    program = services.catalog.programs["mini"]
    async with services.database.transaction() as session:
        person = await ensure_person(session, identity="local:cy", email="cy@example.com")
        person_id = person.id

    async def one() -> tuple[str, bool]:
        async with services.database.transaction() as session:
            found = await session.get(Person, person_id)
            assert found is not None
            award, created = await awards.award_badge(session, ctx, person=found, program=program)
            return award.uid, created

    results = await asyncio.gather(*(one() for _ in range(8)))
    assert len({uid for uid, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    async with services.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(BadgeAward)) == 1
    # a retry after the commit returns the same award
    assert (await one()) == (results[0][0], False)


async def test_prerequisite_badge_is_needed_first(sqlite_services: Application) -> None:
    learner = Learner(sqlite_services.router, "dee", email="dee@example.com")
    await complete(learner, "mini-plus")
    assert "also needs *Mini Badge*" in "\n".join(all_text(m) for m in learner.inbox)
    assert await stored(sqlite_services) == []
    await complete(learner, "mini")
    names = sorted(a.badge["name"] for a in await stored(sqlite_services))
    assert names == ["Mini Badge", "Mini Plus Badge"]


async def test_a_rescore_that_breaks_the_rule_revokes_the_badge(
    sqlite_services: Application,
) -> None:
    learner = Learner(sqlite_services.router, "eve", email="eve@example.com")
    await complete(learner)
    async with sqlite_services.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        person = await session.scalar(select(Person))
        assert enrollment is not None and person is not None
        program = sqlite_services.catalog.programs["mini"]
        turn = Turn(session, person, sqlite_services.catalog, sqlite_services.hooks)
        event = CompletionWithdrawn(turn.session, person, enrollment, program)
        reply = await sqlite_services.hooks.emit(event)
    assert "badge was revoked" in learner.text(reply)
    [award] = await stored(sqlite_services)
    assert award.revoked_at is not None
    assert award.revocation_reason and "no longer hold" in award.revocation_reason


async def test_badges_command_lists_and_explains(sqlite_services: Application) -> None:
    learner = Learner(sqlite_services.router, "fay", email="fay@example.com")
    empty = learner.text(await learner.say("badges"))
    assert "No badges yet" in empty
    await complete(learner)
    listing = learner.text(await learner.say("/learn badges"))
    assert "Mini Badge" in listing and "valid until" in listing
    assert "Badge commands" in learner.text(await learner.say("badges frobnicate"))
    assert "not be announced" in learner.text(await learner.say("badges announce off"))
    assert [b.label for m in learner.inbox for b in buttons(m) if "Share" in b.label] == []


def test_unknown_prerequisite_is_a_content_problem(library: Path) -> None:
    plus = library / "lessons" / "mini-plus" / "program.yaml"
    plus.write_text(plus.read_text().replace("requires: [mini]", "requires: [nope]"))
    _, problems = validate_library(library)
    [problem] = [str(p) for p in problems]
    assert "mini-plus/program.yaml:" in problem
    assert "badge requires 'nope', which is not a program here" in problem


async def test_admin_award_reaches_the_learner_later(sqlite_services: Application) -> None:
    feature = sqlite_services.credentials
    assert feature is not None
    awarded = await feature.award_by_admin("slack:T1:U5", "mini", "gil@example.com")
    assert awarded.created and awarded.view.issued
    assert awarded.view.evidence[0]["genre"] == "Recognition of prior learning"
    async with sqlite_services.database.transaction() as session:
        [notice] = list(await session.scalars(select(LearnerNotice)))
    assert notice.kind == "badge" and "Mini Badge" in notice.text
    again = await feature.award_by_admin("slack:T1:U5", "mini")
    assert again.view.uid == awarded.view.uid and not again.created
