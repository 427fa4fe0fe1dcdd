"""`microcred report progress` as a table and as CSV, and with no database to reach."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.cli.conftest import Cli
from tests.storage.builders import learner_with_answers, tiny_program


@pytest.fixture
def learners(cli: Cli, in_db, library: Path) -> None:
    """Ann (Spring cohort) finished `tiny`; Bob read the lesson and waits for a review."""
    program = tiny_program(library)

    async def work(session) -> None:
        await learner_with_answers(
            session,
            program=program,
            identity="local:ann",
            name="=Ann",
            email="ann@example.com",
            completed=True,
        )
        await learner_with_answers(
            session, program=program, identity="local:bob", name="Bob", email="bob@example.com"
        )

    in_db(work)
    assert cli("cohorts", "create", "Spring", "--program", "tiny").exit_code == 0
    assert cli("cohorts", "add", "Spring", "local:ann").exit_code == 0


@pytest.mark.usefixtures("learners")
def test_progress_table_has_one_row_per_enrolled_person(cli: Cli) -> None:
    result = cli("report", "progress", "--program", "tiny")
    assert result.exit_code == 0, result.output
    header, _rule, *rows = result.stdout.splitlines()
    assert header.split("  ")[0] == "name"
    for column in ("steps done", "quizzes passed", "pending reviews", "completed at"):
        assert column in header
    assert len(rows) == 2
    bob, ann = rows  # no cohort sorts first
    assert bob.split()[:5] == ["Bob", "bob@example.com", "active", "1/2", "0/1"]
    assert ann.split()[:6] == ["=Ann", "ann@example.com", "Spring", "completed", "2/2", "1/1"]
    assert "UTC" in ann


@pytest.mark.usefixtures("learners")
def test_progress_csv_can_be_filtered_by_cohort(cli: Cli) -> None:
    result = cli("report", "progress", "--program", "tiny", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_email = {r["email"]: r for r in rows}
    assert by_email["bob@example.com"]["steps_done"] == "1"
    assert by_email["bob@example.com"]["steps_total"] == "2"
    assert by_email["bob@example.com"]["pending_reviews"] == "1"
    assert by_email["bob@example.com"]["completed_at"] == ""
    ann = by_email["ann@example.com"]
    assert ann["name"] == "'=Ann"  # never a spreadsheet formula
    assert (ann["cohort"], ann["status"], ann["quizzes_passed"]) == ("Spring", "completed", "1")
    assert ann["completed_at"].endswith("+00:00")

    spring = cli("report", "progress", "--program", "tiny", "--cohort", "Spring", "--csv")
    assert [r["email"] for r in csv.DictReader(io.StringIO(spring.stdout))] == ["ann@example.com"]


@pytest.mark.usefixtures("learners")
def test_progress_explains_empty_and_unknown_selections(cli: Cli) -> None:
    empty = cli("report", "progress", "--program", "other")
    assert empty.exit_code == 0 and empty.stdout == ""
    assert "no one in workspace local is enrolled in other" in empty.stderr
    header_only = cli("report", "progress", "--program", "other", "--csv")
    assert header_only.stdout.startswith("name,email,cohort,status,steps_done")
    unknown = cli("report", "progress", "--program", "tiny", "--cohort", "Autumn")
    assert unknown.exit_code == 1 and "no cohort 'Autumn' in workspace local" in unknown.stderr
    wrong = cli("report", "progress", "--program", "other", "--cohort", "Spring")
    assert wrong.exit_code == 1 and "cohort 'Spring' is for program tiny" in wrong.stderr


def test_unreachable_database_is_one_clear_error(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/x")
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(library))
    result = CliRunner().invoke(main, ["report", "progress", "--program", "tiny"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: cannot reach the database postgresql://nobody@127.0.0.1:1/x")
