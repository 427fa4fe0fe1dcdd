"""Lessons, nudges, quiet hours, pause, catch-up and deadlines, on a controllable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from storage.models import Cohort, Enrollment
from tests.delivery.harness import World
from tests.driver import Learner


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2027 given in Berlin wall time (CET, UTC+1, before the 28th)."""
    return datetime(2027, 3, day, hour - 1, minute, tzinfo=UTC)


async def started(world: World, name: str = "ann", **person: object) -> Learner:
    learner = world.learner(name)
    await learner.say("start mini")
    await world.set_person(name, timezone="Europe/Berlin", **person)
    await world.run()  # plans the first slot
    return learner


async def test_lessons_arrive_at_the_learners_local_time_then_nudges(any_world: World) -> None:
    world = any_world
    await started(world)
    assert [d.due_at for d in await world.due("slot")] == [at(1, 9, 30)]
    assert await world.run(at(1, 9, 29)) == 0
    assert await world.run(at(1, 9, 31)) == 1
    [lesson] = await world.inbox_text("ann")
    assert "Introduction" in lesson and "Your scheduled lesson (weekdays 09:30)" in lesson
    assert "`pause`" in lesson  # every proactive message says how to stop it
    # Tuesday and Wednesday: the lesson is still open, so no new lesson but a reminder each.
    assert await world.run(at(2, 9, 31)) == 1
    assert await world.run(at(3, 9, 31)) == 1
    for day in (4, 5, 6, 7):
        assert await world.run(at(day, 9, 31)) == 0  # at most two reminders
    texts = await world.inbox_text("ann")
    assert ["Reminder 1 of 2" in t for t in texts[1:]] == [True, False]
    assert "Still open: Introduction" in texts[2] and "Reminder 2 of 2" in texts[2]


async def test_the_next_step_comes_at_the_next_slot_not_on_weekends(world: World) -> None:
    ann = await started(world)
    await world.run(at(1, 9, 31))
    await ann.say("next")
    await ann.click("Continue")  # the quiz's first question is shown right away
    for day in (5, 6, 7):  # Friday: nudges were cancelled; the quiz is new: delivered
        await world.run(at(day, 9, 31))
    texts = await world.inbox_text("ann")
    assert len(texts) == 2 and "Question 1 of 6" in texts[1]
    assert min(d.due_at for d in await world.due()) == at(8, 9, 0)  # nothing at the weekend


async def test_pause_sends_nothing_and_resume_picks_up(world: World) -> None:
    ann = await started(world)
    await world.run(at(1, 9, 31))
    await ann.say("pause")
    for day in (2, 3, 4):
        assert await world.run(at(day, 9, 31)) == 0
    assert len(await world.inbox("ann")) == 1
    await ann.say("next")
    await ann.click("Continue")
    await ann.say("resume")
    assert await world.run(at(5, 9, 31)) == 1
    assert "Question" in (await world.inbox_text("ann"))[-1]


async def test_quiet_hours_hold_early_slots_and_weekends(world: World) -> None:
    ann = await started(world)
    await ann.say("settings cadence daily 07:00")
    await world.run(at(1, 7, 30))
    assert await world.inbox("ann") == []
    [slot] = await world.due("slot")
    assert slot.due_at == at(1, 9, 0)  # 07:00 waits for the window to open
    assert await world.run(at(1, 9, 1)) == 1
    await world.run(at(5, 9, 1))  # Friday
    [slot] = await world.due("slot")
    assert slot.due_at == at(8, 9, 0)  # Saturday's and Sunday's slots wait for Monday
    reply = await ann.say("settings hours daily 07:00-21:00")
    assert "messages only daily 07:00-21:00" in ann.text(reply)
    await world.run(at(5, 12, 0))
    [slot] = await world.due("slot")
    assert slot.due_at == at(6, 7, 0)  # the learner asked for weekends: re-planned


async def test_a_changed_rhythm_replans_the_slot(world: World) -> None:
    ann = await started(world)
    await ann.say("settings cadence mon,wed,fri 14:00")
    await world.run(at(1, 8, 0))
    [slot] = await world.due("slot")
    assert slot.due_at == at(1, 14, 0)
    await ann.say("settings timezone America/New_York")
    await world.run(at(1, 8, 5))
    [slot] = await world.due("slot")
    assert slot.due_at == datetime(2027, 3, 1, 19, 0, tzinfo=UTC)  # 14:00 in New York


async def test_downtime_collapses_into_one_message(world: World) -> None:
    await started(world)
    assert await world.run(at(8, 10, 0)) == 1  # a week of missed slots
    [text] = await world.inbox_text("ann")
    assert "You have 2 lessons waiting" in text  # 5 slots missed, 2 steps left
    assert "Introduction" in text
    [slot] = await world.due("slot")
    assert slot.due_at == at(9, 9, 30)


async def test_a_slot_missed_within_the_grace_window_arrives_once(world: World) -> None:
    await started(world)
    assert await world.run(at(1, 11, 0)) == 1
    assert await world.run(at(1, 11, 5)) == 0
    [text] = await world.inbox_text("ann")
    assert "waiting" not in text and "Your scheduled lesson" in text


async def test_deadline_reminders_before_a_cohorts_due_date(world: World) -> None:
    await started(world)
    async with world.database.transaction() as session:
        cohort = Cohort(
            workspace_id="local", name="q1", program_id="mini", due_date=date(2027, 3, 12)
        )
        session.add(cohort)
        await session.flush()
        enrollment = await session.scalar(select(Enrollment))
        assert enrollment is not None
        enrollment.cohort_id = cohort.id
    await world.run(at(1, 9, 31))
    deadlines = await world.due("deadline")
    assert [d.due_at for d in deadlines] == [at(5, 9, 30), at(11, 9, 30)]
    for day in (2, 3, 4, 5):
        await world.run(at(day, 9, 31))
    texts = await world.inbox_text("ann")
    assert "Mini program is due on Mar 12, 2027" in texts[-1]
    assert "finished 0 of 2 steps" in texts[-1]


async def test_deadline_folds_into_a_lesson_due_at_the_same_time(world: World) -> None:
    await started(world)
    async with world.database.transaction() as session:
        cohort = Cohort(
            workspace_id="local", name="q1", program_id="mini", due_date=date(2027, 3, 8)
        )
        session.add(cohort)
        await session.flush()
        enrollment = await session.scalar(select(Enrollment))
        assert enrollment is not None
        enrollment.cohort_id = cohort.id
    assert await world.run(at(1, 9, 31)) == 1  # the lesson carries the reminder
    [text] = await world.inbox_text("ann")
    assert "Introduction" in text and "due on Mar 8, 2027" in text


async def test_every_enrollment_keeps_exactly_one_slot(world: World) -> None:
    await started(world)
    for _ in range(3):
        await world.delivery.plan()
    assert len(await world.due("slot")) == 1
    world.clock.set(at(1, 9, 31) + timedelta(seconds=1))
    await world.delivery.tick()
    await world.delivery.plan()
    assert len(await world.due("slot")) == 1


async def test_a_cohorts_rhythm_applies_until_the_learner_picks_one(world: World) -> None:
    ann = await started(world)
    async with world.database.transaction() as session:
        cohort = Cohort(workspace_id="local", name="q2", program_id="mini", cadence="tue 11:00")
        session.add(cohort)
        await session.flush()
        enrollment = await session.scalar(select(Enrollment))
        assert enrollment is not None
        enrollment.cohort_id = cohort.id
    assert "rhythm: **tue 11:00**" in ann.text(await ann.say("settings"))
    await world.run(at(1, 8, 0))
    [slot] = await world.due("slot")
    assert slot.due_at == at(2, 11, 0)
    await ann.say("settings cadence wed 10:00")
    await world.run(at(1, 8, 5))
    [slot] = await world.due("slot")
    assert slot.due_at == at(3, 10, 0)
