"""`microcred learners export|erase`: a learner's data as JSON; erasure keeps only counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from storage.models import AnonymousAggregate, Base
from tests.cli.conftest import Cli
from tests.storage.builders import learner_with_answers, tiny_program


@pytest.fixture
def ann(cli: Cli, in_db, library: Path, tmp_path: Path) -> None:
    """Ann: imported with a team and manager, in a cohort, a reviewer, with answers."""
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "email,name,team,manager\n"
        "mo@example.com,Mo Manager,Platform,\n"
        "annabel@example.com,Annabel Quill,Platform,mo@example.com\n"
    )
    assert cli("people", "import", str(csv_file)).exit_code == 0
    program = tiny_program(library)

    async def work(session) -> None:
        await learner_with_answers(
            session,
            program=program,
            identity="local:annabel@example.com",
            name="Annabel Quill",
            answer="my confidential essay about the sky",
            completed=True,
        )

    in_db(work)
    assert cli("cohorts", "create", "Spring", "--program", "tiny").exit_code == 0
    assert cli("cohorts", "add", "Spring", "annabel@example.com").exit_code == 0
    assert cli("roles", "grant", "annabel@example.com", "lead", "--team", "Platform").exit_code == 0


@pytest.mark.usefixtures("ann")
def test_export_is_json_with_the_answers(cli: Cli) -> None:
    result = cli("learners", "export", "annabel@example.com")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["person"]["name"] == "Annabel Quill"
    assert data["person"]["manager"] == "mo@example.com"
    assert data["identities"] == ["local:annabel@example.com"]
    assert data["teams"] == [{"name": "Platform", "lead": True}]
    assert data["cohorts"][0]["name"] == "Spring"
    assert data["roles"] == [{"role": "lead", "program": None, "team": "Platform"}]
    enrollment = data["enrollments"][0]
    assert (enrollment["program"], enrollment["status"]) == ("tiny", "completed")
    assert {s["step"] for s in enrollment["steps"]} == {"lesson:hello", "quiz:check"}
    answers = {a["question"]: a["response"] for a in data["attempts"]}
    assert answers == {
        "sky": {"choice": True},
        "essay": {"text": "my confidential essay about the sky"},
    }


def _every_value(in_db) -> str:
    async def work(session) -> str:
        values: list[str] = []
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(text(f"SELECT * FROM {table.name}"))
            values += [str(v) for row in rows for v in row]
        return "\n".join(values)

    return in_db(work)


@pytest.mark.usefixtures("ann")
def test_erase_asks_first_then_leaves_no_trace_but_counts(cli: Cli, in_db) -> None:
    declined = cli("learners", "erase", "local:annabel@example.com", input="n\n")
    assert declined.exit_code == 1
    assert "Erase Annabel Quill <annabel@example.com> (local:annabel@example.com)" in (
        declined.output
    )
    assert "Annabel Quill" in _every_value(in_db)

    confirmed = cli("learners", "erase", "local:annabel@example.com", input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "erased Annabel Quill" in confirmed.stdout
    assert "kept for local / tiny: 1 enrollment, 1 completion(s), 2 answer(s)" in confirmed.stdout

    everything = _every_value(in_db)
    for trace in ("Annabel", "annabel@example.com", "confidential essay"):
        assert trace not in everything
    assert "mo@example.com" in everything  # her manager is not erased with her

    kept = in_db(lambda s: s.scalar(select(AnonymousAggregate)))
    assert (kept.program_id, kept.enrollments, kept.completions, kept.attempts) == (
        "tiny",
        1,
        1,
        2,
    )
    listed = cli("cohorts", "list").stdout.splitlines()[2]
    assert listed.split() == ["Spring", "tiny", "0", "0"]

    gone = cli("learners", "erase", "annabel@example.com", "--yes")
    assert gone.exit_code == 1
    assert "no one is known as 'annabel@example.com'" in gone.stderr
    assert "Traceback" not in gone.output


def test_unknown_identity_is_a_clear_error(cli: Cli) -> None:
    for args in (("export",), ("erase", "--yes")):
        result = cli("learners", *args, "local:nobody")
        assert result.exit_code == 1
        assert "no one is known as 'local:nobody'" in result.stderr
        assert result.stdout == ""
