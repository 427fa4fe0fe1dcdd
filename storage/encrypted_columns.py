"""The stored secrets (slack_sdk's token columns): count plaintext, encrypt, rotate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.encryption import Cipher, is_encrypted

SECRET_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "slack_bots": ("bot_token", "bot_refresh_token"),
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
}
"""Every column that holds a credential, by table."""


def _rows(conn: Connection, table: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(id, *columns) of every row."""
    target = sa.table(table, sa.column("id"), *(sa.column(c) for c in columns))
    return [tuple(row) for row in conn.execute(target.select())]


def _rewrite(conn: Connection, change: Callable[[str], str], *, plaintext_only: bool) -> int:
    """Apply `change` to every stored secret; the number of rows updated."""
    updated = 0
    for table, columns in SECRET_COLUMNS.items():
        target = sa.table(table, sa.column("id"), *(sa.column(c) for c in columns))
        for row in _rows(conn, table, columns):
            values: dict[str, str] = {}
            for name, value in zip(columns, row[1:], strict=True):
                if not isinstance(value, str) or not value:
                    continue
                if plaintext_only and is_encrypted(value):
                    continue
                values[name] = change(value)
            if values:
                conn.execute(target.update().where(target.c.id == row[0]).values(**values))
                updated += 1
    return updated


def plaintext_rows(conn: Connection) -> int:
    """How many rows still hold a secret in plaintext."""
    count = 0
    for table, columns in SECRET_COLUMNS.items():
        for row in _rows(conn, table, columns):
            if any(isinstance(v, str) and v and not is_encrypted(v) for v in row[1:]):
                count += 1
    return count


def encrypt_plaintext(conn: Connection, cipher: Cipher) -> int:
    """Encrypt every plaintext secret; the number of rows changed."""
    return _rewrite(conn, cipher.encrypt, plaintext_only=True)


def rotate_all(conn: Connection, cipher: Cipher) -> int:
    """Re-encrypt every stored secret with the current key; the number of rows changed."""
    return _rewrite(conn, cipher.rotate, plaintext_only=False)


def encrypted_rows(conn: Connection) -> int:
    """How many rows hold an encrypted secret."""
    count = 0
    for table, columns in SECRET_COLUMNS.items():
        for row in _rows(conn, table, columns):
            if any(isinstance(v, str) and is_encrypted(v) for v in row[1:]):
                count += 1
    return count


def decrypt_all(conn: Connection, cipher: Cipher) -> int:
    """Turn every stored secret back into plaintext (downgrading); the number of rows changed."""
    return _rewrite(conn, cipher.decrypt, plaintext_only=False)
