"""`microcred people import`: bad rows by file:line, the rest imported, re-import idempotent."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity, Person, Team, TeamMember
from tests.cli.conftest import Cli

PEOPLE = """\
email,name,team,manager
dana@example.com,Dana Lead,Platform,
eli@example.com,Eli Park,Platform,dana@example.com
,No Mail,Platform,
not-an-email,Broken,Platform,
fay@example.com,Fay,Security,ghost@example.com
gus@example.com,Gus,Security,fay@example.com
Eli@Example.com,Eli Again,Platform,
"""


async def _people(session: AsyncSession) -> dict[str, tuple[str, str | None, list[str]]]:
    """e-mail → (name, manager's e-mail, teams)."""
    people = {p.id: p for p in await session.scalars(select(Person))}
    teams = await session.execute(select(TeamMember.person_id, Team.name).join(Team))
    team_of: dict[int, list[str]] = {}
    for person_id, name in teams:
        team_of.setdefault(person_id, []).append(name)
    return {
        p.email or "": (
            p.display_name,
            people[p.manager_id].email if p.manager_id else None,
            team_of.get(p.id, []),
        )
        for p in people.values()
    }


def test_import_reports_bad_rows_by_line_and_imports_the_rest(
    cli: Cli, tmp_path: Path, in_db
) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(PEOPLE)

    result = cli("people", "import", str(csv_file))

    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert f"{csv_file}:4: missing e-mail" in errors
    assert f"{csv_file}:5: 'not-an-email' is not an e-mail address" in errors
    assert any(e.startswith(f"{csv_file}:6: manager ghost@example.com is neither") for e in errors)
    # Gus's manager Fay was skipped, so Gus is skipped too, with his own line.
    assert any(e.startswith(f"{csv_file}:7: manager fay@example.com is neither") for e in errors)
    assert f"{csv_file}:8: eli@example.com is already on line 3; row skipped" in errors
    assert "2 created, 0 updated, 0 unchanged; 1 new team(s)" in result.stdout
    assert "Traceback" not in result.output

    people = in_db(_people)
    assert people == {
        "dana@example.com": ("Dana Lead", None, ["Platform"]),
        "eli@example.com": ("Eli Park", "dana@example.com", ["Platform"]),
    }
    identities = in_db(lambda s: s.scalars(select(Identity.identity)))
    assert set(identities) == {"local:dana@example.com", "local:eli@example.com"}


def test_reimport_changes_nothing_and_updates_what_changed(cli: Cli, tmp_path: Path, in_db) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "Email,Name,Team,Manager\n"
        "dana@example.com,Dana,Platform,\n"
        "eli@example.com,Eli,Platform,dana@example.com\n"
    )
    assert cli("people", "import", str(csv_file)).exit_code == 0
    again = cli("people", "import", str(csv_file))
    assert again.exit_code == 0
    assert "0 created, 0 updated, 2 unchanged; 0 new team(s)" in again.stdout

    # A later file may only name the manager, who is already in the workspace.
    later = tmp_path / "later.csv"
    later.write_text("email,name,team,manager\neli@example.com,Eli Park,Security,\n")
    moved = cli("people", "import", str(later))
    assert moved.exit_code == 0
    assert "0 created, 1 updated, 0 unchanged; 1 new team(s)" in moved.stdout
    people = in_db(_people)
    assert people["eli@example.com"] == ("Eli Park", "dana@example.com", ["Security"])
    assert len(people) == 2


def test_import_into_a_slack_workspace_gives_no_identity(cli: Cli, tmp_path: Path, in_db) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("email,name\nann@example.com,Ann\n")
    result = cli("people", "import", str(csv_file), "--workspace", "slack:T1")
    assert result.exit_code == 0, result.output
    assert "workspace slack:T1: 1 created" in result.stdout
    assert list(in_db(lambda s: s.scalars(select(Identity.identity)))) == []
    found = in_db(lambda s: s.scalar(select(Person.workspace_id)))
    assert found == "slack:T1"


def test_import_without_an_email_column_says_what_the_header_needs(
    cli: Cli, tmp_path: Path
) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("mail,name\nann@example.com,Ann\n")
    result = cli("people", "import", str(csv_file))
    assert result.exit_code == 1
    assert f"{csv_file}:1: the first line must name the columns email,name,team,manager" in (
        result.stderr
    )
    bad_workspace = cli("people", "import", str(csv_file), "--workspace", "slack")
    assert bad_workspace.exit_code == 2
    assert "slack:TEAM_ID" in bad_workspace.stderr


def test_a_file_without_header_uses_the_documented_column_order(
    cli: Cli, tmp_path: Path, in_db
) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("dana@example.com,Dana,Platform,\neli@example.com,Eli,,dana@example.com\n")
    result = cli("people", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    people = in_db(_people)
    assert people["eli@example.com"] == ("Eli", "dana@example.com", [])
    assert people["dana@example.com"] == ("Dana", None, ["Platform"])
