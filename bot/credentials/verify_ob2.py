"""Open Badges 2.0 hosted verification: the issuer's copy, its badge class and issuer, status."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.credentials.fetch import Fetcher
from bot.credentials.verdict import Invalid, Verification, looks_like_jwt

ACCEPT = "application/ld+json, application/json"


async def _json(url: str, what: str, fetcher: Fetcher) -> tuple[int, dict[str, Any]]:
    got = await fetcher(url, ACCEPT)
    try:
        doc = json.loads(got.body)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise Invalid(f"the {what} at {url} is not JSON (HTTP {got.status})")
    return got.status, doc


def _types(doc: dict[str, Any]) -> list[str]:
    value = doc.get("type", [])
    return [value] if isinstance(value, str) else list(value)


def _origin(url: str) -> str:
    return urlsplit(url).netloc


def _when(value: str, what: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{what} '{value}' is not a date") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _differences(given: dict[str, Any], hosted: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(given) | set(hosted) if given.get(k) != hosted.get(k))


async def assertion(
    result: Verification,
    given: dict[str, Any] | str,
    recipient: str,
    fetcher: Fetcher,
    now: datetime | None,
) -> None:
    """Check a hosted assertion (a document or its URL) against what its issuer hosts."""
    now = now or datetime.now(UTC)
    if isinstance(given, dict) and given.get("revoked") is True:
        reason = given.get("revocationReason") or "no reason given"
        result.failed("status", f"revoked by the issuer: {reason}")
        return
    if isinstance(given, str) and looks_like_jwt(given):
        raise Invalid("signed (JWS) OB 2.0 assertions are not supported: only hosted ones")
    url = given if isinstance(given, str) else str(given.get("id", ""))
    if not url.startswith(("http://", "https://")):
        raise Invalid("the assertion has no HTTP(S) id to check it against its issuer")
    if isinstance(given, dict):
        verification = given.get("verification") or {}
        kind = verification.get("type") if isinstance(verification, dict) else None
        if kind not in ("hosted", "HostedBadge"):
            raise Invalid(f"verification type {kind!r} is not supported: only hosted")
    status, hosted = await _json(url, "assertion", fetcher)
    if status == 410 or hosted.get("revoked") is True:
        reason = hosted.get("revocationReason") or "no reason given"
        result.failed("status", f"revoked by the issuer: {reason}")
        return
    if status != 200:
        raise Invalid(f"the issuer does not host this assertion: {url} answered HTTP {status}")
    if isinstance(given, dict) and (changed := _differences(given, hosted)):
        result.failed(
            "integrity",
            "the assertion differs from the one its issuer hosts "
            f"(changed: {', '.join(changed)}): it was tampered with",
        )
        return
    result.passed("hosted", f"the issuer hosts this assertion at {url}")
    if "Assertion" not in _types(hosted) or hosted.get("id") != url:
        raise Invalid("the hosted document is not an Assertion with this id")
    badge_url = hosted.get("badge")
    if not isinstance(badge_url, str):
        raise Invalid("the assertion names no badge class URL")
    _, badge = await _json(badge_url, "badge class", fetcher)
    if "BadgeClass" not in _types(badge) or not isinstance(badge.get("issuer"), str):
        raise Invalid(f"{badge_url} is not a BadgeClass with an issuer URL")
    result.badge = str(badge.get("name", ""))
    _, issuer = await _json(badge["issuer"], "issuer profile", fetcher)
    if not {"Issuer", "Profile"} & set(_types(issuer)):
        raise Invalid(f"{badge['issuer']} is not an issuer profile")
    policy = issuer.get("verification")
    policy = policy if isinstance(policy, dict) else {}
    allowed = policy.get("allowedOrigins") or [_origin(str(issuer.get("id", "")))]
    allowed = [allowed] if isinstance(allowed, str) else allowed
    if _origin(url) not in allowed:
        result.failed("issuer", f"the assertion is hosted outside the issuer's origins {allowed}")
        return
    result.passed("issuer", f"issued by {issuer.get('name', '?')} ({issuer.get('id')})")
    await _revocation_list(result, issuer, url, fetcher)
    _dates(result, hosted, now)
    if recipient:
        _recipient(result, hosted, recipient)


async def _revocation_list(
    result: Verification, issuer: dict[str, Any], url: str, fetcher: Fetcher
) -> None:
    if not isinstance(issuer.get("revocationList"), str):
        return
    _, listing = await _json(issuer["revocationList"], "revocation list", fetcher)
    for entry in listing.get("revokedAssertions", []):
        entry_id = entry.get("id") if isinstance(entry, dict) else entry
        if entry_id == url:
            reason = entry.get("revocationReason", "") if isinstance(entry, dict) else ""
            result.failed("status", f"revoked by the issuer: {reason or 'no reason given'}")
            return
    result.passed("status", "not revoked")


def _dates(result: Verification, hosted: dict[str, Any], now: datetime) -> None:
    issued = _when(str(hosted.get("issuedOn", "")), "issuedOn")
    if issued > now:
        result.failed("dates", f"issued in the future ({hosted['issuedOn']})")
    elif hosted.get("expires") and _when(str(hosted["expires"]), "expires") <= now:
        result.failed("expiry", f"expired on {hosted['expires']}")
    else:
        until = f", expires {hosted['expires']}" if hosted.get("expires") else ", no expiry"
        result.passed("dates", f"issued {hosted['issuedOn']}{until}")


def _recipient(result: Verification, hosted: dict[str, Any], email: str) -> None:
    who = hosted.get("recipient") or {}
    identity, salt = str(who.get("identity", "")), str(who.get("salt", ""))
    expected = email.strip().lower()
    if who.get("hashed"):
        expected = "sha256$" + hashlib.sha256((expected + salt).encode()).hexdigest()
    if identity.lower() == expected:
        result.passed("recipient", f"issued to {email}")
    else:
        result.failed("recipient", f"not issued to {email}")
