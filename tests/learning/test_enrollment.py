"""Enrolling: one enrollment per person and program, joined to a cohort, newest activity first."""

from __future__ import annotations

from datetime import timedelta

from bot.content import Catalog
from bot.learning.enrollment import enroll, enrollments_of
from storage.db import Database
from storage.models import Enrollment
from storage.queries.org.cohorts import create_cohort
from storage.queries.people import ensure_person
from tests.learning.desk import Desk


async def test_enrolling_starts_at_the_first_step_and_enrolling_again_keeps_the_place(
    sqlite_database: Database, mini: Catalog
) -> None:
    program = mini.programs["mini"]
    async with sqlite_database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann")
        first, created = await enroll(session, person=ann, program=program)
        assert created
        assert (first.status, first.cursor_step, first.cursor_part, first.cursor_shown) == (
            "active",
            "lesson:intro",
            0,
            False,
        )
        assert (first.workspace_id, first.program_hash) == ("local", program.hash)
        first.cursor_step = "quiz:check"
        again, created = await enroll(session, person=ann, program=program)
        assert not created and again.id == first.id and again.cursor_step == "quiz:check"


async def test_a_cohort_is_attached_to_an_enrollment_that_has_none_and_never_replaced(
    sqlite_database: Database, mini: Catalog
) -> None:
    program = mini.programs["mini"]
    async with sqlite_database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann")
        spring = await create_cohort(
            session, workspace_id="local", name="spring", program_id="mini"
        )
        autumn = await create_cohort(
            session, workspace_id="local", name="autumn", program_id="mini"
        )
        enrollment, _ = await enroll(session, person=ann, program=program)
        assert enrollment.cohort_id is None
        await enroll(session, person=ann, program=program, cohort_id=spring.id)
        assert enrollment.cohort_id == spring.id
        await enroll(session, person=ann, program=program, cohort_id=autumn.id)
        assert enrollment.cohort_id == spring.id


async def test_a_persons_enrollments_list_the_most_recently_active_first(
    sqlite_database: Database, mini: Catalog
) -> None:
    program = mini.programs["mini"]
    async with sqlite_database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann")
        bob = await ensure_person(session, identity="local:bob")
        older, _ = await enroll(session, person=ann, program=program)
        newer = Enrollment(
            workspace_id="local",
            person_id=ann.id,
            program_id="other",
            program_hash=program.hash,
            cursor_step="lesson:intro",
        )
        session.add(newer)
        await enroll(session, person=bob, program=program)
        await session.flush()
        newer.touched_at = older.touched_at + timedelta(minutes=5)
        assert [e.id for e in await enrollments_of(session, person_id=ann.id)] == [
            newer.id,
            older.id,
        ]
        older.touched_at = newer.touched_at + timedelta(minutes=5)
        assert [e.id for e in await enrollments_of(session, person_id=ann.id)] == [
            older.id,
            newer.id,
        ]


async def test_starting_a_program_twice_welcomes_the_learner_back_where_they_left_off(
    mini_desk: Desk,
) -> None:
    ann = mini_desk.learner("ann")
    first = ann.text(await ann.say("start mini"))
    assert "Welcome to Mini program" in first and "The first page." in first
    await ann.click("Next page")
    again = ann.text(await ann.say("start Mini prog"))  # by the start of its title, too
    assert "Welcome back to **Mini program**. Here is where you left off." in again
    assert "The second page." in again and "Welcome to Mini program" not in again
    assert len(await mini_desk.rows(Enrollment)) == 1


async def test_starting_a_paused_program_resumes_it(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    await ann.say("pause")
    assert (await mini_desk.enrollment("ann")).status == "paused"
    assert "Welcome back" in ann.text(await ann.say("start mini"))
    assert (await mini_desk.enrollment("ann")).status == "active"
