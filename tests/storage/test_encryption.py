"""Secrets at rest: prefixed ciphertexts, rotation, the key file, private SQLite files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.settings import Settings
from storage.db import Database, sync_engine
from storage.encryption import (
    PREFIX,
    Cipher,
    SecretKeyMissing,
    SecretUnreadable,
    create_key_file,
    generate_key,
    is_encrypted,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_ciphertexts_are_prefixed_and_plaintext_passes_through() -> None:
    cipher = Cipher([generate_key()])
    stored = cipher.encrypt("xoxb-1-secret")
    assert stored.startswith(PREFIX) and is_encrypted(stored)
    assert "xoxb" not in stored
    assert cipher.encrypt(stored) == stored
    assert cipher.decrypt(stored) == "xoxb-1-secret"
    assert cipher.decrypt("xoxb-plain") == "xoxb-plain"
    assert not is_encrypted("xoxb-plain") and not is_encrypted(None)


def test_rotation_moves_to_the_first_key() -> None:
    old, new = generate_key(), generate_key()
    stored = Cipher([old]).encrypt("xoxb-1")
    rotated = Cipher([new, old]).rotate(stored)
    assert Cipher([new]).decrypt(rotated) == "xoxb-1"
    with pytest.raises(SecretUnreadable):
        Cipher([old]).decrypt(rotated)


def test_missing_or_malformed_keys_are_clear() -> None:
    with pytest.raises(SecretKeyMissing, match="MICROCRED_SECRET_KEY"):
        Cipher([])
    with pytest.raises(SecretKeyMissing, match="Fernet"):
        Cipher(["not-a-key"])


def test_the_key_file_is_private_and_read_when_no_key_is_set(tmp_path: Path) -> None:
    key_file = tmp_path / "var" / "secret.key"
    key = create_key_file(key_file)
    assert mode(key_file) == 0o600 and mode(key_file.parent) == 0o700
    with pytest.raises(FileExistsError):
        create_key_file(key_file)
    env = {"MICROCRED_SECRET_KEY_FILE": str(key_file)}
    assert Settings.from_env(env).secret_keys == (key,)
    other, older = generate_key(), generate_key()
    chosen = Settings.from_env({**env, "MICROCRED_SECRET_KEY": f"{other}, {older}"})
    assert chosen.secret_keys == (other, older)
    missing = {"MICROCRED_SECRET_KEY_FILE": str(tmp_path / "none.key")}
    assert Settings.from_env(missing).secret_keys == ()


async def test_sqlite_files_are_created_private(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    database = Database(f"sqlite:///{folder / 'app.db'}")
    try:
        await database.check()
    finally:
        await database.close()
    assert mode(folder) == 0o700
    assert mode(folder / "app.db") == 0o600
    sync_engine(f"sqlite:///{folder / 'jobs.db'}").dispose()
    assert mode(folder / "jobs.db") == 0o600
