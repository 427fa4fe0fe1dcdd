"""`microcred audit list`: role and binding changes are recorded; export and erasure see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.models import AuditAction, Surface
from storage.queries.audit import record_audit
from storage.queries.people import ensure_person
from tests.cli.conftest import Cli


@pytest.fixture(autouse=True)
def os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "opal")  # getpass.getuser() reads it first


def _fields(cli: Cli, *args: str) -> list[list[str]]:
    result = cli("audit", "list", *args)
    assert result.exit_code == 0, result.output
    return [line.split("  ") for line in result.stdout.splitlines()]


def _import(cli: Cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("email,name,team\nann@example.com,Ann,Platform\nbob@example.com,Bob,\n")
    assert cli("people", "import", str(csv_file)).exit_code == 0


def test_grants_revokes_and_bindings_are_listed_with_the_os_user(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    assert cli("audit", "list").stderr.strip() == "no audit entries match"
    assert cli("roles", "grant", "ann@example.com", "reviewer", "--program", "tiny").exit_code == 0
    assert cli("roles", "grant", "ann@example.com", "reviewer", "--program", "tiny").exit_code == 0
    assert cli("roles", "grant", "ann@example.com", "lead", "--team", "Platform").exit_code == 0
    assert cli("roles", "grant", "bob@example.com", "lead", "--team", "Platform").exit_code == 0
    assert cli("roles", "revoke", "ann@example.com", "reviewer", "--program", "tiny").exit_code == 0
    assert cli("bindings", "set", "reviews", "local:reviews").exit_code == 0
    assert cli("bindings", "set", "reviews", "local:reviews").exit_code == 0  # no change

    rows = _fields(cli)
    assert [r[1:5] for r in rows] == [
        ["cli:opal", "cli", "role.grant", "role reviewer (program tiny) · local:ann@example.com"],
        ["cli:opal", "cli", "role.grant", "role lead (team Platform) · local:ann@example.com"],
        ["cli:opal", "cli", "role.grant", "role lead (team Platform) · local:bob@example.com"],
        ["cli:opal", "cli", "role.revoke", "role lead (team Platform) · local:ann@example.com"],
        ["cli:opal", "cli", "role.revoke", "role reviewer (program tiny) · local:ann@example.com"],
        ["cli:opal", "cli", "binding.set", "reviews of *"],
    ]
    assert json.loads(rows[0][5]) == {
        "before": None,
        "after": {"role": "reviewer", "program": "tiny", "team": None},
    }
    assert json.loads(rows[-1][5]) == {"before": None, "after": "local:reviews"}
    assert _fields(cli, "--actor", "local:someone") == []
    assert len(_fields(cli, "--workspace", "local", "--since", "2000-01-01")) == 6
    assert _fields(cli, "--workspace", "slack:T1") == []
    bad = cli("audit", "list", "--since", "last week")
    assert bad.exit_code == 2 and "not an ISO date" in bad.stderr


def test_export_includes_the_entries_and_erasure_anonymises_them(
    cli: Cli, in_db, tmp_path: Path
) -> None:
    _import(cli, tmp_path)
    assert cli("roles", "grant", "ann@example.com", "admin").exit_code == 0

    async def ann_acts(session) -> None:  # as if Ann had used an admin command in chat
        bob = await ensure_person(session, identity="local:bob@example.com")
        await record_audit(
            session,
            workspace_id="local",
            actor="local:ann@example.com",
            surface=Surface.PLAYGROUND,
            action=AuditAction.SCORE_OVERRIDE,
            target="answer #7 in tiny/check/essay",
            subject=bob,
            changes={"points": {"before": 1, "after": 2}},
        )

    in_db(ann_acts)
    exported = json.loads(cli("learners", "export", "ann@example.com").stdout)["audit"]
    assert [(e["actor"], e["action"], e["target"]) for e in exported["about_you"]] == [
        ("cli:opal", "role.grant", "role admin")
    ]
    assert [(e["action"], e["target"]) for e in exported["by_you"]] == [
        ("score.override", "answer #7 in tiny/check/essay")
    ]

    assert cli("learners", "erase", "ann@example.com", "--yes").exit_code == 0
    rows = _fields(cli)
    assert [r[1:5] for r in rows] == [
        ["cli:opal", "cli", "role.grant", "role admin · erased"],
        [
            "erased",
            "playground",
            "score.override",
            "answer #7 in tiny/check/essay · local:bob@example.com",
        ],
    ]
    assert "ann@example.com" not in cli("audit", "list").stdout
