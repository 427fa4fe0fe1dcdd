"""Points are awarded once under retries and concurrency, on databases with committed data."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.engagement.points import Award, Learner, award
from bot.learning.hooks import StepFinished
from storage.models import Enrollment, Person, PointsEntry, PointsTotal
from tests.driver import buttons
from tests.engagement.harness import WORKSPACE, Harness, read_lesson


async def counts(h: Harness) -> tuple[int, int, int]:
    async with h.database.transaction() as s:
        entries = await s.scalar(select(func.count()).select_from(PointsEntry))
        ledger = await s.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0)))
        total = await s.scalar(
            select(func.coalesce(func.sum(PointsTotal.points), 0)).where(
                PointsTotal.board == "org", PointsTotal.period == "all"
            )
        )
    return int(entries or 0), int(ledger or 0), int(total or 0)


async def test_a_retried_award_is_filed_once(h: Harness) -> None:
    pid = await h.person_id("ann")
    for _ in range(3):
        async with h.database.transaction() as s:
            done = await award(
                s,
                learner=Learner(pid, WORKSPACE),
                award=Award("lesson", "lesson:1:lesson:x", 10, "secure-coding"),
                at=h.clock.now(),
            )
    assert not done.stored
    assert await counts(h) == (1, 10, 10)


async def test_concurrent_awards_of_one_key_count_once(h: Harness) -> None:
    pid = await h.person_id("ann")

    async def one() -> bool:
        async with h.database.transaction() as s:
            done = await award(
                s,
                learner=Learner(pid, WORKSPACE),
                award=Award("review", "review:42", 15, "secure-coding"),
                at=h.clock.now(),
            )
            return done.stored

    stored = await asyncio.gather(*(one() for _ in range(8)))
    assert sorted(stored) == [False] * 7 + [True]
    assert await counts(h) == (1, 15, 15)
    assert await h.total("ann", "p:secure-coding", "w2026-03-02") == 15


async def test_concurrent_awards_of_different_keys_lose_no_points(h: Harness) -> None:
    pid = await h.person_id("ann")

    async def one(n: int) -> None:
        async with h.database.transaction() as s:
            await award(
                s,
                learner=Learner(pid, WORKSPACE),
                award=Award("review", f"review:{n}", n, "secure-coding"),
                at=h.clock.now(),
            )

    await asyncio.gather(*(one(n) for n in range(1, 11)))
    assert await counts(h) == (10, 55, 55)


async def test_a_replayed_journey_event_awards_nothing_more(h: Harness) -> None:
    ann = h.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    before = await counts(h)
    async with h.database.transaction() as s:
        person = await s.scalar(select(Person).where(Person.display_name == "Ann"))
        enrollment = await s.scalar(select(Enrollment))
        assert person is not None and enrollment is not None
        key = "lesson:injection-parameterised-queries"
        program = h.catalog.programs["secure-coding"]
        event = StepFinished(s, person, enrollment, program, key, "done")
        assert await h.engagement.earning.on_step(event) is None
    assert await counts(h) == before


async def test_double_clicks_on_continue_award_the_lesson_once(h: Harness) -> None:
    ann = h.member("ann")
    await ann.say("start secure-coding")
    while "Continue" not in [b.label for b in buttons(ann.last)]:
        await ann.click("Next page")
    index = len(ann.inbox) - 1
    button = next(b for b in buttons(ann.last) if b.label == "Continue")
    await asyncio.gather(*(ann.press(button, index) for _ in range(4)), return_exceptions=True)
    lessons = [e for e in await h.ledger("ann") if e.kind == "lesson"]
    assert len(lessons) == 1
    _, ledger, total = await counts(h)
    assert ledger == total
