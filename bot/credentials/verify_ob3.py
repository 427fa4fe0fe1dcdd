"""Open Badges 3.0 VC-JWT verification: issuer key, signature, schema, expiry and status."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from jsonschema import Draft201909Validator, FormatChecker

from bot.credentials import status
from bot.credentials.fetch import Fetcher
from bot.credentials.sign import credential_of
from bot.credentials.verdict import Invalid, Verification, jwt_header, looks_like_jwt

SCHEMA = Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
JWT_ACCEPT = "application/vc+jwt, application/jwt"
ALGORITHMS = ("EdDSA", "ES256", "RS256")


@lru_cache(maxsize=1)
def _validator() -> Draft201909Validator:
    return Draft201909Validator(json.loads(SCHEMA.read_text()), format_checker=FormatChecker())


def _issuer_id(payload: dict[str, Any]) -> str:
    issuer = payload.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(found, str) or not found:
        raise Invalid("the credential names no issuer id")
    return found


async def _issuer_key(header: dict[str, Any], issuer: str, fetcher: Fetcher) -> dict[str, Any]:
    """The public JWK the issuer publishes at the token's `kid` (same origin as the issuer)."""
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid.startswith(("http://", "https://")):
        raise Invalid("the token names no key URL (kid), so its key cannot be traced to the issuer")
    if urlsplit(kid).netloc != urlsplit(issuer).netloc:
        raise Invalid(f"the signing key {kid} is not published by the issuer {issuer}")
    got = await fetcher(kid, "application/jwk+json, application/json")
    try:
        key = json.loads(got.body) if got.status == 200 else None
    except ValueError:
        key = None
    if not isinstance(key, dict) or "kty" not in key:
        raise Invalid(f"the issuer does not publish the signing key {kid} (HTTP {got.status})")
    embedded = header.get("jwk")
    if isinstance(embedded, dict) and embedded.get("x", embedded.get("n")) != key.get(
        "x", key.get("n")
    ):
        raise Invalid("the key embedded in the token is not the key the issuer publishes")
    return key


async def _verified_payload(
    result: Verification | None, token: str, fetcher: Fetcher
) -> dict[str, Any]:
    header = jwt_header(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise Invalid(f"signature algorithm {alg!r} is not accepted ({', '.join(ALGORITHMS)})")
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise Invalid(f"this is not a readable JWT: {exc}") from exc
    issuer = _issuer_id(unverified)
    key = await _issuer_key(header, issuer, fetcher)
    try:
        payload = jwt.decode(
            token,
            key=jwt.PyJWK(key, algorithm=alg).key,
            algorithms=[alg],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError as exc:
        raise Invalid(
            "the signature does not match: the credential was altered, or signed by another key"
        ) from exc
    except (jwt.InvalidTokenError, jwt.PyJWKError) as exc:
        raise Invalid(f"the token cannot be verified: {exc}") from exc
    if result is not None:
        result.passed("signature", f"{alg} signature by {header['kid']}")
    return dict(payload)


def _claims(payload: dict[str, Any]) -> None:
    problems = []
    if payload.get("iss") not in (None, _issuer_id(payload)):
        problems.append("iss is not the issuer")
    if payload.get("jti") not in (None, payload.get("id")):
        problems.append("jti is not the credential id")
    starts = payload.get("validFrom")
    if "nbf" in payload and starts and int(_when(starts).timestamp()) != payload["nbf"]:
        problems.append("nbf is not validFrom")
    if problems:
        raise Invalid("the JWT claims contradict the credential: " + "; ".join(problems))


def _schema(result: Verification, credential: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(credential), key=lambda e: list(e.path))
    if errors:
        shown = "; ".join(
            f"{'/'.join(str(p) for p in e.path) or '(top)'}: {e.message[:120]}" for e in errors[:3]
        )
        result.failed("schema", f"not a valid OB 3.0 AchievementCredential: {shown}")
    else:
        result.passed("schema", "valid against the 1EdTech OB 3.0 schema")


def _when(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(f"'{value}' is not a date-time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _dates(result: Verification, credential: dict[str, Any], now: datetime) -> None:
    starts = _when(credential.get("validFrom", ""))
    ends = credential.get("validUntil")
    if starts > now:
        result.failed("dates", f"not valid before {credential['validFrom']}")
    elif ends and _when(ends) <= now:
        result.failed("expiry", f"expired on {ends}")
    else:
        result.passed("dates", f"valid from {credential['validFrom']} until {ends or 'forever'}")


async def _status(result: Verification, credential: dict[str, Any], fetcher: Fetcher) -> None:
    entries = credential.get("credentialStatus") or []
    entries = [entries] if isinstance(entries, dict) else entries
    for entry in entries:
        if entry.get("type") != "BitstringStatusListEntry":
            raise Invalid(f"status type {entry.get('type')!r} is not supported")
        url = str(entry.get("statusListCredential", ""))
        got = await fetcher(url, JWT_ACCEPT)
        if got.status != 200 or not looks_like_jwt(got.text):
            raise Invalid(f"the status list {url} is unavailable or unsigned (HTTP {got.status})")
        listing = await _verified_payload(None, got.text.strip(), fetcher)
        if _issuer_id(listing) != _issuer_id(credential):
            raise Invalid("the status list is not signed by the credential's issuer")
        subject = listing.get("credentialSubject") or {}
        try:
            index = int(entry.get("statusListIndex", -1))
            is_set = status.is_set(str(subject.get("encodedList", "")), index)
        except ValueError as exc:
            raise Invalid(f"the status list cannot be read: {exc}") from exc
        purpose = entry.get("statusPurpose", "revocation")
        if is_set:
            result.failed("status", f"{purpose}: the issuer has revoked this credential")
            return
    result.passed("status", "not revoked" if entries else "no status list (cannot be revoked)")


async def token(
    result: Verification, token: str, fetcher: Fetcher, now: datetime | None
) -> dict[str, Any]:
    """Verify a compact VC-JWT; returns the credential it carries."""
    payload = await _verified_payload(result, token, fetcher)
    credential = credential_of(payload)
    result.badge = str(credential.get("name", ""))
    _claims(payload)
    _schema(result, credential)
    _dates(result, credential, now or datetime.now(UTC))
    await _status(result, credential, fetcher)
    return credential


async def document(
    result: Verification, doc: dict[str, Any], fetcher: Fetcher, now: datetime | None
) -> None:
    """A JSON credential: an enveloped VC-JWT, or a copy checked against the signed original."""
    if "EnvelopedVerifiableCredential" in str(doc.get("type")):
        value = str(doc.get("id", ""))
        prefix = "data:application/vc+jwt,"
        if not value.startswith(prefix):
            raise Invalid("the enveloped credential is not a data:application/vc+jwt URL")
        await token(result, value[len(prefix) :], fetcher, now)
        return
    if "proof" in doc:
        raise Invalid("embedded Data Integrity proofs are not supported: use the VC-JWT")
    url = str(doc.get("id", ""))
    if not url.startswith(("http://", "https://")):
        raise Invalid("the JSON has no proof and no id to fetch the signed credential from")
    got = await fetcher(url, JWT_ACCEPT)
    if got.status != 200 or not looks_like_jwt(got.text):
        raise Invalid(f"no signed credential at {url} (HTTP {got.status})")
    signed = await token(result, got.text.strip(), fetcher, now)
    changed = sorted(k for k in set(doc) | set(signed) if doc.get(k) != signed.get(k))
    if changed:
        result.failed(
            "integrity",
            f"the JSON differs from what the issuer signed (changed: {', '.join(changed)})",
        )
    else:
        result.passed("integrity", "identical to the credential the issuer signed")
