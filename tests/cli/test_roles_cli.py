"""`microcred roles grant|revoke|list` with program and team scopes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage.models import Person, Team
from tests.cli.conftest import Cli


def _import(cli: Cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "email,name,team\n"
        "ann@example.com,Ann,Platform\n"
        "bob@example.com,Bob,Platform\n"
        "cy@example.com,Cy,Security\n"
    )
    assert cli("people", "import", str(csv_file)).exit_code == 0


def test_grant_list_and_revoke(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    granted = cli("roles", "grant", "ann@example.com", "reviewer", "--program", "tiny")
    assert granted.exit_code == 0, granted.output
    assert "granted reviewer (program tiny) to Ann <ann@example.com>" in granted.stdout
    assert cli("roles", "grant", "local:bob@example.com", "ADMIN").exit_code == 0
    twice = cli("roles", "grant", "bob@example.com", "admin")
    assert "Bob <bob@example.com> already has admin" in twice.stdout

    listed = cli("roles", "list").stdout.splitlines()
    assert listed[0].split() == ["role", "name", "e-mail", "or", "identity", "scope"]
    assert [line.split() for line in listed[2:]] == [
        ["admin", "Bob", "bob@example.com"],
        ["reviewer", "Ann", "ann@example.com", "program", "tiny"],
    ]

    wrong_scope = cli("roles", "revoke", "ann@example.com", "reviewer")
    assert wrong_scope.exit_code == 1
    assert "Ann <ann@example.com> does not have reviewer; they have: reviewer (program tiny)" in (
        wrong_scope.stderr
    )
    revoked = cli("roles", "revoke", "ann@example.com", "reviewer", "--program", "tiny")
    assert revoked.exit_code == 0
    assert "revoked reviewer (program tiny) from Ann <ann@example.com>" in revoked.stdout
    assert "reviewer" not in cli("roles", "list").stdout


def test_lead_of_a_team_sets_and_replaces_the_team_lead(cli: Cli, tmp_path: Path, in_db) -> None:
    _import(cli, tmp_path)
    assert cli("roles", "grant", "ann@example.com", "lead", "--team", "Platform").exit_code == 0
    result = cli("roles", "grant", "bob@example.com", "lead", "--team", "Platform")
    assert result.exit_code == 0
    assert "Ann <ann@example.com> is no longer lead of team Platform" in result.stdout

    async def lead_name(session) -> str | None:
        return await session.scalar(
            select(Person.display_name)
            .join(Team, Team.lead_id == Person.id)
            .where(Team.name == "Platform")
        )

    assert in_db(lead_name) == "Bob"
    listed = cli("roles", "list").stdout
    assert "Bob" in listed and "Ann" not in listed
    assert cli("roles", "revoke", "bob@example.com", "lead", "--team", "Platform").exit_code == 0
    assert in_db(lead_name) is None


def test_scopes_and_names_are_validated(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    cases = [
        (("ann@example.com", "boss"), 2, "'boss' is not one of 'admin', 'lead', 'reviewer'"),
        (("ann@example.com", "admin", "--program", "tiny"), 2, "--program scopes the reviewer"),
        (("ann@example.com", "reviewer", "--team", "Platform"), 2, "--team scopes the lead role"),
        (("ann@example.com", "reviewer", "--program", "nope"), 1, "known programs: other, tiny"),
        (("ann@example.com", "lead", "--team", "Sales"), 1, "teams: Platform, Security"),
        (("nobody@example.com", "admin"), 1, "no one is known as 'nobody@example.com'"),
        (("ann@example.com", "admin", "--workspace", "slack:T1"), 1, "no one is known as"),
    ]
    for args, code, message in cases:
        result = cli("roles", "grant", *args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert "no roles granted in workspace local" in cli("roles", "list").stderr
