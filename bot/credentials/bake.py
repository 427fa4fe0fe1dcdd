"""Baking: the OB 2.0 assertion (and the OB 3.0 VC-JWT) written into the badge PNG."""

from __future__ import annotations

import io
import json
from typing import Any

import png
from openbadges_bakery import bake as bake_ob2
from openbadges_bakery import unbake as unbake_ob2

OB3_KEYWORD = b"openbadgecredential"
"""The iTXt keyword OB 3.0 uses for a baked credential (OB 2.0 uses `openbadges`)."""


def _itxt(keyword: bytes, text: str) -> tuple[bytes, bytes]:
    # keyword, NUL, compression flag, compression method, language tag NUL, keyword NUL
    return b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + text.encode()


def bake(image: bytes, assertion: dict[str, Any], credential_jwt: str | None = None) -> bytes:
    """The badge PNG with the OB 2.0 assertion baked in, plus the OB 3.0 credential if given."""
    baked = bake_ob2(io.BytesIO(image), json.dumps(assertion), io.BytesIO())
    data = baked.getvalue() if hasattr(baked, "getvalue") else baked.read()
    if not credential_jwt:
        return bytes(data)
    chunks = list(png.Reader(bytes=data).chunks())
    kept = [c for c in chunks if not (c[0] == b"iTXt" and c[1].startswith(OB3_KEYWORD + b"\x00"))]
    out = io.BytesIO()
    png.write_chunks(out, [kept[0], _itxt(OB3_KEYWORD, credential_jwt), *kept[1:]])
    return out.getvalue()


def unbake(data: bytes) -> tuple[str | None, str | None]:
    """(OB 2.0 content, OB 3.0 credential) found in a PNG; ValueError if it is no PNG."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("the file is not a PNG image")
    ob3 = None
    try:
        for kind, content in png.Reader(bytes=data).chunks():
            if kind == b"iTXt" and content.startswith(OB3_KEYWORD + b"\x00"):
                ob3 = content.split(b"\x00", 5)[-1].decode()
    except png.Error as exc:
        raise ValueError(f"the PNG is damaged: {exc}") from exc
    ob2 = unbake_ob2(io.BytesIO(data))
    return (ob2 if isinstance(ob2, str) else None), ob3
