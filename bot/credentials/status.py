"""Bitstring Status List encoding: GZIP-compressed bits, base64url with a `u` prefix."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

MIN_BITS = 131_072
"""16 KiB: the spec's minimum list size, so one revocation says little about who it was."""


def encode(revoked: Iterable[int], size: int = 0) -> str:
    """The `encodedList` for a list where the bits at `revoked` indices are set."""
    indices = list(revoked)
    bits = max(MIN_BITS, size, (max(indices) + 1) if indices else 0)
    bits = (bits + 7) // 8 * 8
    data = bytearray(bits // 8)
    for index in indices:
        data[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def is_set(encoded: str, index: int) -> bool:
    """Whether the bit at `index` is set; ValueError for a malformed list or index."""
    if not encoded.startswith("u"):
        raise ValueError("the encoded list does not start with 'u' (multibase base64url)")
    raw = encoded[1:]
    try:
        data = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"the encoded list cannot be decoded: {exc}") from exc
    if index < 0 or index >= len(data) * 8:
        raise ValueError(f"index {index} is outside the list of {len(data) * 8} entries")
    return bool(data[index // 8] & (0x80 >> (index % 8)))
