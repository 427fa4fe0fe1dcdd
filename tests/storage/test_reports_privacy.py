"""Progress report rows, export and erasure on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.content import Program
from storage.db import Database
from storage.models import AnonymousAggregate, Base
from storage.queries.org import add_cohort_member, create_cohort, people_named
from storage.queries.privacy import erase_person, export_person
from storage.queries.reports import progress_rows
from tests.storage.builders import learner_with_answers, tiny_program, write_library


@pytest.fixture
def program(tmp_path: Path) -> Program:
    return tiny_program(write_library(tmp_path / "library"))


async def test_progress_rows_count_steps_quizzes_and_pending_reviews(
    database: Database, program: Program
) -> None:
    keys = [s.key for s in program.steps]
    async with database.transaction() as session:
        ann = await learner_with_answers(
            session, program=program, identity="local:ann", name="Ann", completed=True
        )
        await learner_with_answers(session, program=program, identity="local:bob", name="Bob")
        cohort = await create_cohort(
            session, workspace_id="local", name="Spring", program_id="tiny"
        )
        await add_cohort_member(session, cohort_id=cohort.id, person_id=ann.person_id)
    async with database.transaction() as session:
        rows = await progress_rows(session, workspace_id="local", program_id="tiny", step_keys=keys)
        only = await progress_rows(
            session, workspace_id="local", program_id="tiny", step_keys=keys, cohort_id=cohort.id
        )
        elsewhere = await progress_rows(
            session, workspace_id="slack:T1", program_id="tiny", step_keys=keys
        )
    by_name = {r.name: r for r in rows}
    assert (by_name["Ann"].steps_done, by_name["Ann"].steps_total) == (2, 2)
    assert (by_name["Ann"].quizzes_passed, by_name["Ann"].cohort) == (1, "Spring")
    assert by_name["Ann"].completed_at is not None
    assert (by_name["Bob"].steps_done, by_name["Bob"].quizzes_passed) == (1, 0)
    assert by_name["Bob"].pending_reviews == 1 and by_name["Bob"].cohort == ""
    assert by_name["Bob"].last_activity is not None
    assert [r.name for r in only] == ["Ann"]
    assert elsewhere == []


async def test_export_has_the_answers(database: Database, program: Program) -> None:
    async with database.transaction() as session:
        ann = await learner_with_answers(
            session, program=program, identity="local:ann", name="Ann", email="ann@example.com"
        )
        data = await export_person(session, person_id=ann.person_id)
    assert data["person"]["email"] == "ann@example.com"
    assert data["identities"] == ["local:ann"]
    assert data["enrollments"][0]["program"] == "tiny"
    assert [s["step"] for s in data["enrollments"][0]["steps"]] == ["lesson:hello"]
    responses = {a["question"]: a["response"] for a in data["attempts"]}
    assert responses["essay"] == {"text": "Because of Rayleigh scattering"}


async def _every_value(database: Database) -> str:
    """Every value in every table, as one string to search."""
    values: list[str] = []
    async with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(text(f"SELECT * FROM {table.name}"))
            values += [str(v) for row in rows for v in row]
    return "\n".join(values)


async def test_erase_keeps_only_anonymous_counts(database: Database, program: Program) -> None:
    async with database.transaction() as session:
        ann = await learner_with_answers(
            session,
            program=program,
            identity="local:ann-secret",
            name="Annabel Secret",
            email="annabel@example.com",
            answer="my confidential essay",
            completed=True,
        )
        bob = await learner_with_answers(session, program=program, identity="local:bob", name="Bob")
    async with database.transaction() as session:
        folded = await erase_person(session, person_id=ann.person_id)
    assert folded is not None and [(f.enrollments, f.completions, f.attempts) for f in folded] == [
        (1, 1, 2)
    ]
    everything = await _every_value(database)
    for trace in ("Annabel", "annabel@example.com", "local:ann-secret", "confidential"):
        assert trace not in everything
    assert "local:bob" in everything
    async with database.transaction() as session:
        await erase_person(session, person_id=bob.person_id)
        assert await erase_person(session, person_id=bob.person_id) is None
    async with database.transaction() as session:
        kept = await session.scalar(select(AnonymousAggregate))
        assert await people_named(session, who="local:bob") == []
    assert kept is not None
    assert (kept.workspace_id, kept.program_id) == ("local", "tiny")
    assert (kept.enrollments, kept.completions, kept.attempts, kept.points) == (2, 1, 4, 2)
