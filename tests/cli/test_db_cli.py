"""`microcred db upgrade`: plaintext Slack tokens, the secret key, the default key file."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from storage import migrate
from storage.encryption import PREFIX, Cipher, generate_key

BOT = (
    "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, is_enterprise_install,"
    " installed_at) VALUES ('cid', 'A1', 'T1', 'xoxb-T1', 0, '2026-01-01')"
)


@pytest.fixture
def old_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite file at 0008 with a plaintext bot token, and no key anywhere."""
    path = tmp_path / "old.db"
    migrate.upgrade(f"sqlite:///{path}", "0008")
    with sqlite3.connect(path) as conn:
        conn.execute(BOT)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("MICROCRED_SECRET_KEY", raising=False)
    monkeypatch.setenv("MICROCRED_SECRET_KEY_FILE", str(tmp_path / "var" / "secret.key"))
    return path


def bot_token(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT bot_token FROM slack_bots").fetchone()[0])


def test_upgrade_refuses_plaintext_tokens_without_a_key(old_database: Path) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "Error: 1 stored Slack installation row(s) hold tokens in plaintext" in result.output
    assert "MICROCRED_SECRET_KEY" in result.output and "Traceback" not in result.output
    assert bot_token(old_database) == "xoxb-T1"


def test_upgrade_encrypts_them_with_a_key(
    old_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = generate_key()
    monkeypatch.setenv("MICROCRED_SECRET_KEY", key)
    result = CliRunner().invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stored = bot_token(old_database)
    assert stored.startswith(PREFIX) and Cipher([key]).decrypt(stored) == "xoxb-T1"


def test_the_default_database_gets_a_private_key_file(
    old_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.settings._default_database_url", lambda: f"sqlite:///{old_database}")
    key_file = tmp_path / "var" / "secret.key"
    result = CliRunner().invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "created the secret key" in result.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    key = key_file.read_text().strip()
    assert Cipher([key]).decrypt(bot_token(old_database)) == "xoxb-T1"
    again = CliRunner().invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert again.exit_code == 0 and "created" not in again.output
    assert key_file.read_text().strip() == key
