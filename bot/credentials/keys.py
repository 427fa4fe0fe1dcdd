"""Ed25519 signing keys: generated on first run into a 0600 file, or given by the environment."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bot.core.errors import InternalFault

PRIVATE_SUFFIX = ".key"
PUBLIC_SUFFIX = ".pub"
CURRENT = "current"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(public: Ed25519PublicKey) -> dict[str, str]:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(public: Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint, used as the key id."""
    canonical = json.dumps(public_jwk(public), sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode()).digest())


@dataclass(frozen=True)
class SigningKey:
    kid: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    def jwk(self) -> dict[str, str]:
        return {**public_jwk(self.public), "kid": self.kid, "alg": "EdDSA", "use": "sig"}


@dataclass(frozen=True)
class KeyRing:
    """The key that signs now, and every key whose credentials must still verify."""

    current: SigningKey
    keys: tuple[SigningKey, ...]

    def find(self, kid: str) -> SigningKey | None:
        return next((k for k in self.keys if k.kid == kid), None)


def _from_private(key: Ed25519PrivateKey) -> SigningKey:
    return SigningKey(thumbprint(key.public_key()), key.public_key(), key)


def parse_private_pem(pem: str) -> SigningKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise InternalFault(f"MICROCRED_SIGNING_KEY is not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise InternalFault("MICROCRED_SIGNING_KEY must be an Ed25519 key")
    return _from_private(key)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write a new file with `mode` from the start (never world-readable, even briefly)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _check_private_file(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InternalFault(
            f"the signing key {path} is readable by others (mode {mode:o}): run `chmod 600 {path}`"
        )


def generate(folder: Path) -> SigningKey:
    """Create a new key in `folder` (0700), make it current, and keep old public keys."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    key = _from_private(Ed25519PrivateKey.generate())
    assert key.private is not None
    pem = key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write(folder / f"{key.kid}{PRIVATE_SUFFIX}", pem, 0o600)
    _write(folder / f"{key.kid}{PUBLIC_SUFFIX}", public, 0o644)
    _write(folder / CURRENT, key.kid.encode(), 0o600)
    return key


def rotate(folder: Path) -> SigningKey:
    """A new current key; older private keys are deleted, their public halves stay published."""
    old = [p for p in folder.glob(f"*{PRIVATE_SUFFIX}")] if folder.exists() else []
    key = generate(folder)
    for path in old:
        if path.stem != key.kid:
            path.unlink(missing_ok=True)
    return key


def _public_keys(folder: Path) -> list[SigningKey]:
    found = []
    for path in sorted(folder.glob(f"*{PUBLIC_SUFFIX}")):
        public = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(public, Ed25519PublicKey):
            found.append(SigningKey(thumbprint(public), public))
    return found


def _current_from_folder(folder: Path) -> SigningKey | None:
    pointer = folder / CURRENT
    if not pointer.exists():
        return None
    path = folder / f"{pointer.read_text().strip()}{PRIVATE_SUFFIX}"
    if not path.exists():
        return None
    _check_private_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InternalFault(f"{path} is not an Ed25519 key")
    return _from_private(key)


def load_keyring(folder: Path, env_pem: str = "", *, create: bool = True) -> KeyRing:
    """The key ring: the environment's key or the folder's current one (made on first run)."""
    current = parse_private_pem(env_pem) if env_pem.strip() else None
    if current is None and folder.exists():
        current = _current_from_folder(folder)
    if current is None:
        if not create:
            raise InternalFault(f"no signing key in {folder}")
        current = generate(folder)
    published = _public_keys(folder) if folder.exists() else []
    keys = [current, *[k for k in published if k.kid != current.kid]]
    return KeyRing(current, tuple(keys))
