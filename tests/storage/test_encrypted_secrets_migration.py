"""Migration 0009: plaintext Slack tokens are refused without a key and encrypted with one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import migrate
from storage.encryption import PREFIX, Cipher, SecretKeyMissing, generate_key

BOT = (
    "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_refresh_token,"
    " is_enterprise_install, installed_at) VALUES ('cid', 'A1', ?, ?, NULL, 0, '2026-01-01')"
)
INSTALLATION = (
    "INSERT INTO slack_installations (client_id, app_id, team_id, bot_token, user_id,"
    " user_token, incoming_webhook_url, is_enterprise_install, installed_at)"
    " VALUES ('cid', 'A1', ?, ?, 'U1', ?, ?, 0, '2026-01-01')"
)
WEBHOOK = "https://hooks.slack.com/services/T1/B1/abc"


def plaintext_database(tmp_path: Path) -> tuple[str, Path]:
    """A database at 0008 holding the plaintext tokens of one install."""
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url, "0008")
    with sqlite3.connect(path) as conn:
        conn.execute(BOT, ("T1", "xoxb-T1"))
        conn.execute(INSTALLATION, ("T1", "xoxb-T1", "xoxp-U1", WEBHOOK))
    return url, path


def stored(path: Path) -> list[str | None]:
    with sqlite3.connect(path) as conn:
        bots = conn.execute("SELECT bot_token FROM slack_bots").fetchall()
        installs = conn.execute(
            "SELECT bot_token, user_token, incoming_webhook_url FROM slack_installations"
        ).fetchall()
    return [value for row in (*bots, *installs) for value in row]


def revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_plaintext_tokens_without_a_key_stop_the_upgrade(tmp_path: Path) -> None:
    url, path = plaintext_database(tmp_path)
    with pytest.raises(SecretKeyMissing, match="2 stored Slack installation row"):
        migrate.upgrade(url, "0009")
    assert revision(path) == "0008"
    assert stored(path) == ["xoxb-T1", "xoxb-T1", "xoxp-U1", WEBHOOK]


def test_a_key_encrypts_them_and_a_downgrade_decrypts(tmp_path: Path) -> None:
    url, path = plaintext_database(tmp_path)
    key = generate_key()
    migrate.upgrade(url, "0009", secret_keys=[key])
    assert revision(path) == "0009"
    values = stored(path)
    assert all(value and value.startswith(PREFIX) for value in values)
    assert [Cipher([key]).decrypt(v or "") for v in values] == [
        "xoxb-T1",
        "xoxb-T1",
        "xoxp-U1",
        WEBHOOK,
    ]
    with pytest.raises(SecretKeyMissing, match="encrypted tokens"):
        migrate.downgrade(url, "0008")
    migrate.downgrade(url, "0008", secret_keys=[key])
    assert stored(path) == ["xoxb-T1", "xoxb-T1", "xoxp-U1", WEBHOOK]


def test_an_empty_database_needs_no_key(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    migrate.upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        columns = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(slack_bots)")}
    assert columns["bot_token"] == "TEXT"
