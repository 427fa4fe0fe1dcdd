"""A learner's engagement data is in their export and goes with their erasure."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import BoardPreference, PointsEntry, PointsTotal, Streak
from storage.queries.privacy import erase_person, export_person
from tests.engagement.harness import Harness, read_lesson


async def test_export_and_erase_cover_points_totals_choices_and_streaks(h: Harness) -> None:
    ann = h.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    await ann.say("leaderboard hide")
    pid = await h.person_id("ann")
    async with h.database.transaction() as s:
        data = (await export_person(s, person_id=pid))["engagement"]
    assert {p["kind"] for p in data["points"]} == {"lesson", "streak"}
    assert data["leaderboard_choice"] == "anonymous"
    assert data["streaks"][0]["current"] == 1
    async with h.database.transaction() as s:
        await erase_person(s, person_id=pid)
    async with h.database.transaction() as s:
        for model in (PointsEntry, PointsTotal, BoardPreference, Streak):
            assert await s.scalar(select(func.count()).select_from(model)) == 0
