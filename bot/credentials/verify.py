"""Verifying a badge from a file or URL: detect the format, then check it and say why it fails."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.credentials.bake import unbake
from bot.credentials.fetch import Fetcher, FetchError, fetch
from bot.credentials.verdict import Invalid, Verification, looks_like_jwt
from bot.credentials.verify_ob2 import assertion as verify_assertion
from bot.credentials.verify_ob3 import document as verify_document
from bot.credentials.verify_ob3 import token as verify_token


async def _read(source: str, fetcher: Fetcher) -> bytes:
    if source.startswith(("http://", "https://")):
        got = await fetcher(source, "application/vc+jwt, application/ld+json, application/json")
        if got.status == 410 or got.status == 200:
            return got.body
        raise Invalid(f"{source} answered HTTP {got.status}")
    path = Path(source)
    if not path.is_file():
        raise Invalid(f"no such file: {source}")
    return path.read_bytes()


async def verify(
    source: str,
    *,
    recipient: str = "",
    fetcher: Fetcher = fetch,
    now: datetime | None = None,
) -> Verification:
    """Verify an OB 2.0 assertion or an OB 3.0 credential in a file or at a URL.

    A baked PNG carrying both is checked as both. Never raises for bad input: the result
    says which check failed and why.
    """
    result = Verification()
    try:
        data = await _read(source, fetcher)
        kinds = []
        for content in _contents(data):
            kinds.append(await _check(result, content, recipient, fetcher, now))
        result.kind = " + ".join(kinds)
    except Invalid as exc:
        result.failed("input" if not result.checks else "verification", str(exc))
    except FetchError as exc:
        result.failed("fetch", str(exc))
    if not result.checks:
        result.failed("input", "nothing to verify was found")
    return result


async def _check(
    result: Verification,
    content: dict[str, Any] | str,
    recipient: str,
    fetcher: Fetcher,
    now: datetime | None,
) -> str:
    if isinstance(content, str) and looks_like_jwt(content):
        result.kind = "Open Badges 3.0 credential (VC-JWT)"
        await verify_token(result, content.strip(), fetcher, now)
    elif isinstance(content, dict) and _is_ob3(content):
        result.kind = "Open Badges 3.0 credential (JSON)"
        await verify_document(result, content, fetcher, now)
    else:
        result.kind = "Open Badges 2.0 assertion"
        await verify_assertion(result, content, recipient, fetcher, now)
    return result.kind


def _contents(data: bytes) -> list[dict[str, Any] | str]:
    """The badges inside: a PNG's baked assertion and credential, a JSON document or a JWT."""
    if data.startswith(b"\x89PNG"):
        try:
            baked = [found for found in unbake(data) if found]
        except ValueError as exc:
            raise Invalid(str(exc)) from exc
        if not baked:
            raise Invalid("the PNG has no Open Badges data baked in")
        return [_parse(found.encode()) for found in baked]
    return [_parse(data)]


def _parse(data: bytes) -> dict[str, Any] | str:
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise Invalid("the file is neither a badge PNG, JSON nor a VC-JWT") from exc
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Invalid(f"the JSON is malformed: {exc}") from exc
        if not isinstance(parsed, dict):
            raise Invalid("the JSON is not an object")
        return parsed
    if looks_like_jwt(text) or text.startswith(("http://", "https://")):
        return text
    raise Invalid("the file is neither a badge PNG, JSON nor a VC-JWT")


def _is_ob3(doc: dict[str, Any]) -> bool:
    types = doc.get("type", [])
    types = [types] if isinstance(types, str) else types
    return "VerifiableCredential" in types or "EnvelopedVerifiableCredential" in types
