"""`learners export` carries every score given to the learner's answers."""

from __future__ import annotations

from pathlib import Path

from bot.application import Application
from bot.content import load_library
from bot.settings import Settings
from storage.queries.people import person_by_identity
from storage.queries.privacy import export_person
from tests.driver import Learner

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


async def test_export_lists_score_records_and_peer_review(sqlite_url: str) -> None:
    services = Application.build(Settings(database_url=sqlite_url), catalog=load_library(FIXTURE))
    try:
        ann = Learner(services.router, "ann")
        for text in ("start mini", "next", "next", "b", "a, c", "true", "72", "SBI"):
            await ann.say(text)
        await ann.say("It names the situation, the behaviour and the impact of it.")
        async with services.database.transaction() as session:
            person = await person_by_identity(session, identity="local:ann")
            assert person is not None
            data = await export_person(session, person_id=person.id)
    finally:
        await services.stop()
    records = data["scoring"]["score_records"]
    assert len(records) == len(data["attempts"]) == 6
    assert {r["source"] for r in records} >= {"exact"}
    assert all(r["at"] for r in records)
    assert data["peer_review"] == {"submissions": [], "drafts": [], "reviews_given": []}
