"""Secrets at rest: Fernet keys (the first is current), prefixed ciphertexts, the key file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "enc:v1:"
"""Every stored ciphertext starts with this, so plaintext rows can be told apart."""


class SecretKeyMissing(Exception):
    """Secrets must be encrypted or decrypted but no key is configured; the message says how."""


class SecretUnreadable(Exception):
    """A stored ciphertext was made with a key that is no longer configured."""


def is_encrypted(value: str | None) -> bool:
    return bool(value) and str(value).startswith(PREFIX)


class Cipher:
    """Encrypts with the first key, decrypts with any (MultiFernet), rotates to the first."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretKeyMissing("no secret key is set: set MICROCRED_SECRET_KEY")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError as exc:
            raise SecretKeyMissing(
                "MICROCRED_SECRET_KEY is not a list of Fernet keys (32 url-safe base64-encoded "
                "bytes each, comma-separated): generate one with `microcred secrets generate-key`"
            ) from exc

    def encrypt(self, value: str) -> str:
        """Ciphertext of `value`; an already encrypted value is returned as it is."""
        if is_encrypted(value):
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str) -> str:
        """Plaintext of a stored value; a value without the prefix is plaintext already."""
        if not is_encrypted(value):
            return value
        try:
            return self._fernet.decrypt(value[len(PREFIX) :].encode()).decode()
        except InvalidToken as exc:
            raise SecretUnreadable(
                "a stored secret cannot be decrypted with MICROCRED_SECRET_KEY: "
                "keep the old key in the list (comma-separated, after the new one)"
            ) from exc

    def rotate(self, value: str) -> str:
        """`value` encrypted with the current key (plaintext is encrypted)."""
        if not is_encrypted(value):
            return self.encrypt(value)
        try:
            token = self._fernet.rotate(value[len(PREFIX) :].encode())
        except InvalidToken as exc:
            raise SecretUnreadable(
                "a stored secret cannot be decrypted with any key in MICROCRED_SECRET_KEY"
            ) from exc
        return PREFIX + token.decode()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(value: str) -> tuple[str, ...]:
    """`new,old` → ('new', 'old'); blanks are dropped."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def create_key_file(key_file: Path) -> str:
    """Write a new key to `key_file` (mode 0600, its folder 0700) and return it."""
    folder = key_file.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    os.chmod(folder, 0o700)
    key = generate_key()
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key
