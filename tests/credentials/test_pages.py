"""The public badge page and hosted documents say valid, revoked or expired, checked live."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from datetime import timedelta

from sqlalchemy import select

from bot.application import Application
from bot.credentials import verify
from storage.models import BadgeAward, Person
from storage.queries.privacy import erase_person
from storage.types import utcnow
from tests.clock import FakeClock
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import complete


async def get(url: str) -> tuple[int, str, str]:
    def run() -> tuple[int, str, str]:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind = response.headers.get("Content-Type", "")
                return response.status, kind, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()

    return await asyncio.to_thread(run)


async def award_uid(services: Application) -> str:
    async with services.database.transaction() as session:
        uid = await session.scalar(select(BadgeAward.uid).order_by(BadgeAward.id.desc()))
    assert uid
    return uid


async def test_page_shows_valid_then_revoked_live(
    sqlite_services: Application, server: str
) -> None:
    learner = Learner(sqlite_services.router, "ann", email="ann@example.com")
    await complete(learner)
    uid = await award_uid(sqlite_services)
    status, kind, html = await get(f"{server}/badges/{uid}")
    assert status == 200 and kind.startswith("text/html")
    assert 'class="status valid"' in html and "Valid until" in html
    assert "Earned by <strong>Ann</strong>" in html and "Mini Badge" in html
    assert "linkedin.com/profile/add" in html and f"/badges/{uid}/badge.png" in html
    assert "Pass the check." in html and "Example Academy" in html
    feature = sqlite_services.credentials
    assert feature is not None
    await feature.revoke_by_admin(uid, "Certificate <withdrawn> by audit")
    status, _, html = await get(f"{server}/badges/{uid}")
    assert 'class="status revoked"' in html
    assert "Revoked: Certificate &lt;withdrawn&gt; by audit" in html
    assert "linkedin.com" not in html
    status, _, body = await get(f"{server}/ob2/assertions/{uid}")
    assert status == 410 and json.loads(body)["revoked"] is True
    status, _, body = await get(f"{server}/ob2/revocations")
    assert f"/ob2/assertions/{uid}" in body
    assert (await get(f"{server}/badges/{uid}/badge.png"))[0] == 404


async def test_page_shows_expired_live(sqlite_services: Application, server: str) -> None:
    learner = Learner(sqlite_services.router, "bo", email="bo@example.com")
    await complete(learner)
    uid = await award_uid(sqlite_services)
    feature = sqlite_services.credentials
    assert feature is not None
    clock = FakeClock(utcnow())
    feature.ctx.clock = clock
    clock.set(utcnow() + timedelta(days=366))
    _, _, html = await get(f"{server}/badges/{uid}")
    assert 'class="status expired"' in html and "Expired on" in html
    listing = learner.text(await learner.say("badges"))
    assert "expired on" in listing and "badges renew mini" in listing
    result = await verify(f"{server}/ob2/assertions/{uid}", now=clock.now())
    assert not result.ok and result.reason.startswith("expiry: expired on")


async def test_documents_and_unknowns(sqlite_services: Application, server: str) -> None:
    status, kind, body = await get(f"{server}/ob2/badges/mini")
    badge = json.loads(body)
    assert status == 200 and badge["type"] == "BadgeClass" and badge["tags"] == ["testing"]
    assert badge["alignment"][0]["targetName"] == "Basics"
    status, kind, _ = await get(f"{server}/badges/images/mini.png")
    assert status == 200 and kind == "image/png"
    status, _, html = await get(f"{server}/badges/programs/mini")
    assert status == 200 and "Pass the check." in html and "skill-basics" in html
    for path in ("/badges/0123abcd", "/ob2/assertions/0123abcd", "/ob2/badges/nope"):
        assert (await get(server + path))[0] == 404
    issuer = json.loads((await get(f"{server}/ob2/issuer"))[2])
    assert issuer["name"] == "Example Academy" and issuer["revocationList"].endswith("revocations")


async def test_erasing_the_learner_withdraws_the_badge(
    sqlite_services: Application, server: str
) -> None:
    learner = Learner(sqlite_services.router, "cy", email="cy@example.com")
    await complete(learner)
    uid = await award_uid(sqlite_services)
    async with sqlite_services.database.transaction() as session:
        person = await session.scalar(select(Person))
        assert person is not None
        await erase_person(session, person_id=person.id)
    status, _, html = await get(f"{server}/badges/{uid}")
    assert status == 410 and "Cy" not in html
    async with sqlite_services.database.transaction() as session:
        award = await session.scalar(select(BadgeAward))
        assert award is not None and award.person_id is None and award.recipient_email is None
    result = await verify(f"{server}/ob3/credentials/{uid}.jwt")
    assert not result.ok
