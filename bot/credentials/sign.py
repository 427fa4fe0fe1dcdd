"""VC-JWT signing (Open Badges 3.0 §8.2): the credential is the JWT payload, EdDSA signed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jwt

from bot.credentials.keys import SigningKey
from bot.credentials.urls import Urls

ALGORITHM = "EdDSA"


def _timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The registered claims that mirror the credential: iss, jti, sub, nbf, exp."""
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _timestamp(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject", {})
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if credential.get("validUntil"):
        claims["exp"] = _timestamp(credential["validUntil"])
    return claims


def sign_credential(credential: dict[str, Any], key: SigningKey, urls: Urls) -> str:
    """A compact JWS whose payload is the credential plus its JWT claims."""
    if key.private is None:
        raise ValueError(f"key {key.kid} has no private half")
    headers = {"typ": "JWT", "kid": urls.key(key.kid), "jwk": key.jwk()}
    payload = {**credential, **jwt_claims(credential)}
    return jwt.encode(payload, key.private, algorithm=ALGORITHM, headers=headers)


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential inside a VC-JWT payload (without the JWT-only claims)."""
    return {k: v for k, v in payload.items() if k not in ("iss", "jti", "sub", "nbf", "exp", "iat")}
