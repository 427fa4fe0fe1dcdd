"""`microcred cohorts create|add|list`: cohorts assign a program and enroll their members."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Cohort, Enrollment, Person
from storage.queries.people import ensure_person
from tests.cli.conftest import Cli


def _people(in_db, *identities: str) -> None:
    async def work(session) -> None:
        for identity in identities:
            name = identity.split(":")[-1].title()
            await ensure_person(
                session, identity=identity, display_name=name, email=f"{name.lower()}@example.com"
            )

    in_db(work)


def test_create_names_the_known_programs_when_the_program_is_unknown(cli: Cli) -> None:
    result = cli("cohorts", "create", "Spring", "--program", "nope")
    assert result.exit_code == 1
    assert "unknown program 'nope'; known programs: other, tiny" in result.stderr
    assert "Traceback" not in result.output


def test_create_stores_due_date_and_cadence(cli: Cli, in_db) -> None:
    result = cli(
        "cohorts", "create", "Spring", "--program", "tiny", "--due", "2031-06-30",
        "--cadence", "Weekdays 9:30",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "program tiny, due 2031-06-30, cadence weekdays 09:30" in result.stdout
    cohort = in_db(lambda s: s.scalar(select(Cohort)))
    assert (cohort.program_id, cohort.due_date, cohort.cadence) == (
        "tiny",
        date(2031, 6, 30),
        "weekdays 09:30",
    )
    again = cli("cohorts", "create", "Spring", "--program", "other")
    assert again.exit_code == 1
    assert "cohort 'Spring' already exists in workspace local (program tiny)" in again.stderr


def test_create_rejects_bad_dates_and_cadences(cli: Cli, in_db) -> None:
    bad_due = cli("cohorts", "create", "Spring", "--program", "tiny", "--due", "30/06/2031")
    assert bad_due.exit_code == 2 and "'30/06/2031' does not match the format" in bad_due.stderr
    bad_cadence = cli("cohorts", "create", "Spring", "--program", "tiny", "--cadence", "often")
    assert bad_cadence.exit_code == 2 and "'often' is not a rhythm" in bad_cadence.stderr
    empty = cli("cohorts", "create", "Spring", "--program", "tiny", "--cadence", " ")
    assert empty.exit_code == 2
    assert in_db(lambda s: s.scalar(select(Cohort))) is None


def test_add_enrolls_members_and_reports_unknown_people(cli: Cli, in_db) -> None:
    _people(in_db, "local:ann", "local:bob")
    assert cli("cohorts", "create", "Spring", "--program", "tiny").exit_code == 0

    result = cli("cohorts", "add", "Spring", "local:ann", "bob@example.com", "zed@example.com")

    assert result.exit_code == 1
    assert "Ann <ann@example.com>: added to cohort 'Spring', enrolled in tiny" in result.stdout
    assert "Bob <bob@example.com>: added to cohort 'Spring', enrolled in tiny" in result.stdout
    assert "no one is known as 'zed@example.com' in workspace local" in result.stderr
    enrolled = in_db(
        lambda s: s.execute(
            select(Person.display_name, Enrollment.program_id, Enrollment.cohort_id).join(
                Enrollment, Enrollment.person_id == Person.id
            )
        )
    )
    assert sorted((name, program) for name, program, cohort in enrolled if cohort) == [
        ("Ann", "tiny"),
        ("Bob", "tiny"),
    ]

    again = cli("cohorts", "add", "Spring", "local:ann")
    assert again.exit_code == 0
    assert "already in cohort 'Spring', already enrolled in tiny" in again.stdout

    listed = cli("cohorts", "list")
    assert listed.exit_code == 0
    header, _rule, row = listed.stdout.splitlines()
    assert header.split() == ["cohort", "program", "due", "cadence", "members", "completed"]
    assert row.split() == ["Spring", "tiny", "2", "0"]


def test_add_to_an_unknown_cohort_lists_the_cohorts(cli: Cli, in_db) -> None:
    _people(in_db, "local:ann")
    cli("cohorts", "create", "Spring", "--program", "tiny")
    result = cli("cohorts", "add", "Autumn", "local:ann")
    assert result.exit_code == 1
    assert "no cohort 'Autumn' in workspace local; cohorts: Spring" in result.stderr
    assert (
        "no cohorts in workspace slack:T1"
        in cli("cohorts", "list", "--workspace", "slack:T1").stderr
    )


def test_list_counts_completed_members(cli: Cli, in_db) -> None:
    _people(in_db, "local:ann", "local:bob")
    cli("cohorts", "create", "Spring", "--program", "tiny", "--due", "2031-01-31")
    cli("cohorts", "add", "Spring", "local:ann", "local:bob")

    async def complete_ann(session) -> None:
        enrollment = await session.scalar(
            select(Enrollment).join(Person).where(Person.display_name == "Ann")
        )
        enrollment.status = "completed"
        enrollment.completed_at = enrollment.started_at

    in_db(complete_ann)
    row = cli("cohorts", "list").stdout.splitlines()[2]
    assert row.split() == ["Spring", "tiny", "2031-01-31", "2", "1"]
