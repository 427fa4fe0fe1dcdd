"""`microcred badges …` as a person runs it, against `microcred serve` over real HTTP."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.processes import microcred_env, run_cli, serving

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    return microcred_env(sqlite_url, MICROCRED_KEYS_DIR=str(tmp_path / "keys"))


def badges(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run `microcred badges …` as a separate process."""
    run = run_cli("badges", *args, env=env)
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, run.stdout, run.stderr


@pytest.fixture
def in_process(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Run `microcred badges …` in this process (faster for many small cases)."""
    for name in ("DATABASE_URL", "MICROCRED_KEYS_DIR"):
        monkeypatch.setenv(name, env[name])

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["badges", *args])
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


def test_award_list_revoke_and_verify_end_to_end(
    env: dict[str, str],
    in_process: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with serving(env) as base:
        cli_env = {**env, "PUBLIC_BASE_URL": base}
        monkeypatch.setenv("PUBLIC_BASE_URL", base)
        args = ("--user", "local:ann", "--program", "secure-coding")
        code, out, err = badges("award", *args, "--email", "ann@x.org", env=cli_env)
        assert code == 0, err
        [line] = out.splitlines()
        award = json.loads(line)
        assert {"id", "assertion_url", "credential_url"} <= set(award)
        assert award["assertion_url"] == f"{base}/ob2/assertions/{award['id']}"
        assert award["created"] is True and award["issued"] is True
        again = json.loads(in_process("award", *args)[1])
        assert again["id"] == award["id"] and again["created"] is False
        code, out, _ = in_process("list", "--user", "local:ann", "--json")
        assert [row["id"] for row in json.loads(out)] == [award["id"]]
        code, out, _ = badges("verify", award["assertion_url"], env=cli_env)
        assert code == 0 and out.strip().endswith("VALID"), out
        code, out, _ = in_process("verify", award["credential_url"])
        assert code == 0 and out.strip().endswith("VALID"), out
        png = tmp_path / "badge.png"
        with urllib.request.urlopen(f"{base}/badges/{award['id']}/badge.png") as response:
            png.write_bytes(response.read())
        code, out, _ = in_process("verify", str(png), "--recipient", "ann@x.org")
        assert code == 0 and "✓ recipient: issued to ann@x.org" in out, out
        code, out, _ = in_process("revoke", award["id"], "--reason", "Exam irregularity")
        assert code == 0 and "Exam irregularity" in out
        assert "already revoked" in in_process("revoke", award["id"], "--reason", "x")[1]
        code, out, _ = in_process("verify", str(png))
        assert code == 1 and "INVALID: status: revoked by the issuer: Exam irregularity" in out
        code, out, _ = in_process("verify", award["credential_url"], "--json")
        result = json.loads(out)
        assert code == 1 and result["valid"] is False and "revoked" in result["reason"]


def test_award_without_email_waits_for_one(
    in_process: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, err = in_process("award", "--user", "local:bo", "--program", "data-privacy")
    assert code == 0 and json.loads(out)["issued"] is False
    assert "no e-mail is known" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("award", "--user", "bob", "--program", "secure-coding"), "is not an identity"),
        (("award", "--user", "local:bo", "--program", "nope"), "no program 'nope'"),
        (("award", "--user", "local:bo", "--program", "secure-coding", "--email", "x"), "e-mail"),
        (("revoke", "0123", "--reason", "why"), "no badge award has the id '0123'"),
        (("revoke", "0123", "--reason", " "), "give a reason"),
        (("list", "--user", "local:nobody"), "no one is known as 'local:nobody'"),
    ],
)
def test_bad_input_is_one_clear_error(
    in_process: Callable[..., tuple[int, str, str]], args: tuple[str, ...], message: str
) -> None:
    code, _, err = in_process(*args)
    assert code in (1, 2) and message in err, err


def test_verify_explains_bad_files_and_urls(
    in_process: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    cases = {
        "garbage.txt": (b"hello world", "neither a badge PNG, JSON nor a VC-JWT"),
        "broken.json": (b'{"id": ', "the JSON is malformed"),
        "plain.png": (b"\x89PNG\r\n\x1a\nnot really", "PNG"),
        "token.jwt": (b"eyJhbGciOiJub25lIn0.e30.e30", "not accepted"),
        "assertion.json": (b'{"type": "Assertion"}', "no HTTP(S) id"),
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        code, out, _ = in_process("verify", str(path))
        assert code == 1 and "INVALID" in out and reason in out, (name, out)
    code, out, _ = in_process("verify", str(tmp_path / "missing.png"))
    assert code == 1 and "no such file" in out
    code, out, _ = in_process("verify", "http://127.0.0.1:9/badge.json")
    assert code == 1 and "unreachable" in out


def test_key_rotation_and_policy(
    env: dict[str, str], in_process: Callable[..., tuple[int, str, str]]
) -> None:
    in_process("award", "--user", "local:cy", "--program", "secure-coding", "--email", "c@x.org")
    keys = Path(env["MICROCRED_KEYS_DIR"])
    first = {p.name for p in keys.glob("*.key")}
    assert len(first) == 1 and oct(next(keys.glob("*.key")).stat().st_mode & 0o777) == "0o600"
    assert oct(keys.stat().st_mode & 0o777) == "0o700"
    code, out, _ = in_process("rotate-key")
    assert code == 0 and "new signing key" in out
    assert len(list(keys.glob("*.pub"))) == 2 and {p.name for p in keys.glob("*.key")} != first
    code, out, _ = in_process("policy", "announce", "--workspace", "local")
    assert code == 0 and "announce" in out
