"""`microcred secrets rotate`: every stored token moves to the current key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.db import sync_engine
from storage.encryption import Cipher, SecretUnreadable, generate_key
from tests.cli.conftest import Cli

OLD, NEW = generate_key(), generate_key()


def store(db_url: str) -> None:
    """One install's bot and installation rows, encrypted with the old key."""
    token = Cipher([OLD]).encrypt("xoxb-T1")
    engine = sync_engine(db_url)
    with engine.begin() as conn:
        for table in ("slack_bots", "slack_installations"):
            user = ", user_id" if table == "slack_installations" else ""
            value = ", 'U1'" if user else ""
            conn.execute(
                text(
                    f"INSERT INTO {table} (client_id, app_id, team_id, bot_token,"
                    f" is_enterprise_install, installed_at{user})"
                    f" VALUES ('cid', 'A1', 'T1', :token, false, '2026-01-01'{value})"
                ),
                {"token": token},
            )
    engine.dispose()


def tokens(db_url: str) -> list[str]:
    engine = sync_engine(db_url)
    with engine.connect() as conn:
        rows = [
            str(value)
            for table in ("slack_bots", "slack_installations")
            for value in conn.execute(text(f"SELECT bot_token FROM {table}")).scalars()
        ]
    engine.dispose()
    return rows


def test_rotate_re_encrypts_with_the_first_key(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(db_url)
    monkeypatch.setenv("MICROCRED_SECRET_KEY", f"{NEW},{OLD}")
    result = cli("secrets", "rotate")
    assert result.exit_code == 0
    assert "re-encrypted 2 row(s)" in result.output
    for stored in tokens(db_url):
        assert Cipher([NEW]).decrypt(stored) == "xoxb-T1"
        with pytest.raises(SecretUnreadable):
            Cipher([OLD]).decrypt(stored)


def test_rotate_without_the_old_key_changes_nothing(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(db_url)
    before = tokens(db_url)
    monkeypatch.setenv("MICROCRED_SECRET_KEY", NEW)
    result = cli("secrets", "rotate")
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert tokens(db_url) == before


def test_rotate_needs_a_key(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_SECRET_KEY", raising=False)
    monkeypatch.setenv("MICROCRED_SECRET_KEY_FILE", "/nonexistent/secret.key")
    result = cli("secrets", "rotate")
    assert result.exit_code == 1 and "MICROCRED_SECRET_KEY" in result.output


def test_generate_key_prints_a_usable_key(cli: Cli) -> None:
    key = cli("secrets", "generate-key").output.strip()
    assert Cipher([key]).decrypt(Cipher([key]).encrypt("x")) == "x"
