"""The turn's one read of a learner gives the same enrollment facts as the query does."""

from __future__ import annotations

from datetime import date

from storage.db import Database
from storage.models import Enrollment
from storage.queries.enrollment_facts import facts_row, facts_with_streak
from storage.queries.learner import known_context
from storage.queries.org.cohorts import create_cohort
from storage.queries.people import ensure_person


async def test_loaded_facts_match_the_queried_ones(sqlite_database: Database) -> None:
    async with sqlite_database.transaction() as session:
        ann = await ensure_person(session, identity="local:ann", timezone="Europe/Paris")
        ann.cadence, ann.quiet_hours = "mon,wed 14:00", "weekdays 09:00-18:00"
        cohort = await create_cohort(
            session,
            workspace_id="local",
            name="spring",
            program_id="mini",
            due_date=date(2027, 4, 1),
            cadence="fri 10:00",
        )
        session.add(
            Enrollment(
                workspace_id="local",
                person_id=ann.id,
                program_id="mini",
                program_hash="h",
                cohort_id=cohort.id,
                cadence="tue 08:00",
            )
        )
    async with sqlite_database.transaction() as session:
        await ensure_person(session, identity="local:ann")  # loads the turn's context
        [enrollment_id] = [e.id for e in session.info["microcred_loaded"]]
        assert known_context(session, enrollment_id=enrollment_id) is not None  # no query
        loaded, streak = await facts_with_streak(session, enrollment_id=enrollment_id)
        queried = tuple(await facts_row(session, enrollment_id=enrollment_id))
    assert loaded == queried and streak is None
    assert loaded[-2:] == ("fri 10:00", date(2027, 4, 1))
