"""Signing keys on disk or from the environment; status list bits; default badge images."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from bot.core.errors import InternalFault
from bot.credentials import status
from bot.credentials.bake import bake, unbake
from bot.credentials.image import badge_png, draw_default
from bot.credentials.keys import load_keyring, rotate


def test_first_run_generates_a_private_key_only_we_can_read(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    ring = load_keyring(folder)
    [private] = folder.glob("*.key")
    assert private.stem == ring.current.kid
    assert os.stat(private).st_mode & 0o777 == 0o600
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert load_keyring(folder).current.kid == ring.current.kid


def test_a_readable_key_is_refused_with_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    load_keyring(folder)
    [private] = folder.glob("*.key")
    private.chmod(0o644)
    with pytest.raises(InternalFault, match="chmod 600"):
        load_keyring(folder)


def test_rotation_keeps_old_public_keys(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    old = load_keyring(folder).current
    new = rotate(folder)
    ring = load_keyring(folder)
    assert ring.current.kid == new.kid != old.kid
    assert {k.kid for k in ring.keys} == {old.kid, new.kid}
    found = ring.find(old.kid)
    assert found is not None and found.private is None


def test_the_environment_key_wins(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    ring = load_keyring(tmp_path / "keys", pem)
    assert ring.current.private is not None
    assert not (tmp_path / "keys").exists()
    with pytest.raises(InternalFault, match="not a PEM private key"):
        load_keyring(tmp_path / "keys", "-----BEGIN nonsense")


def test_status_list_bits_round_trip() -> None:
    encoded = status.encode([0, 7, 9, 131_071])
    assert [status.is_set(encoded, i) for i in (0, 1, 7, 8, 9, 131_071)] == [
        True,
        False,
        True,
        False,
        True,
        True,
    ]
    bigger = status.encode([200_000])
    assert status.is_set(bigger, 200_000)
    with pytest.raises(ValueError, match="outside the list"):
        status.is_set(encoded, 10**9)
    with pytest.raises(ValueError):
        status.is_set("xnot-base64", 1)


def test_default_image_is_a_transparent_png_and_bakes(tmp_path: Path) -> None:
    data = draw_default("Secure Coding Essentials")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and image.size == (512, 512)
        corner = image.getpixel((0, 0))
        assert isinstance(corner, tuple) and corner[3] == 0
    baked = bake(data, {"id": "https://example.org/a"}, "a.b.c")
    assert unbake(baked) == ('{"id": "https://example.org/a"}', "a.b.c")
    big = tmp_path / "big.png"
    Image.new("RGB", (2000, 1500), "red").save(big)
    scaled = badge_png("Big", "big.png", tmp_path)
    with Image.open(io.BytesIO(scaled)) as image:
        assert max(image.size) == 1024
    assert badge_png("Escape", "../../etc/passwd", tmp_path) == draw_default("Escape")
