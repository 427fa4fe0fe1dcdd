"""OB 3.0: the official schema, an independent JOSE check, tampering, revocation, expiry."""

from __future__ import annotations

import base64
import gzip
import json
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import JWKRegistry
from jsonschema import Draft201909Validator, FormatChecker

from bot.application import Application
from bot.credentials import verify
from storage.types import utcnow
from tests.clock import FakeClock
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import complete

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def get(url: str, accept: str = "application/json") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return bytes(response.read())


async def fetch(url: str, accept: str = "application/json") -> bytes:
    import asyncio

    return await asyncio.to_thread(get, url, accept)


async def earned(services: Application, name: str = "ann") -> str:
    learner = Learner(services.router, name, email=f"{name}@example.com")
    await complete(learner)
    async with services.database.transaction() as session:
        from sqlalchemy import select

        from storage.models import BadgeAward

        uid = await session.scalar(select(BadgeAward.uid).order_by(BadgeAward.id.desc()))
    assert uid
    return uid


def independent_payload(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Verify with joserfc (not our code) against the published key set."""
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
    [jwk] = [k for k in jwks["keys"] if kid.endswith("/" + k["kid"])]
    key = JWKRegistry.import_key(jwk)
    return dict(json.loads(jws.deserialize_compact(token, key, algorithms=["EdDSA"]).payload))


async def test_credential_is_schema_valid_and_independently_verifiable(
    sqlite_services: Application, server: str, shared: Path
) -> None:
    uid = await earned(sqlite_services)
    token = (await fetch(f"{server}/ob3/credentials/{uid}.jwt")).decode()
    jwks = json.loads(await fetch(f"{server}/.well-known/jwks.json"))
    payload = independent_payload(token, jwks)
    assert payload["iss"] == payload["issuer"]["id"] and payload["jti"] == payload["id"]
    assert payload["id"] == f"{server}/ob3/credentials/{uid}"
    credential = json.loads(await fetch(f"{server}/ob3/credentials/{uid}"))
    assert credential["credentialSubject"]["achievement"]["name"] == "Mini Badge"
    assert "validUntil" in credential and "credentialStatus" in credential
    schema_file = shared / "openbadges3" / "schema" / "ob_v3p0_achievementcredential_schema.json"
    schema = json.loads(schema_file.read_text())
    checker = FormatChecker()
    assert "date-time" in checker.checkers, "rfc3339-validator must be installed"
    errors = list(Draft201909Validator(schema, format_checker=checker).iter_errors(credential))
    assert errors == []
    bad = dict(credential, validFrom="yesterday")
    assert list(Draft201909Validator(schema, format_checker=checker).iter_errors(bad))
    result = await verify(f"{server}/ob3/credentials/{uid}.jwt")
    assert result.ok, result.reason


async def test_tampering_and_wrong_keys_fail(sqlite_services: Application, server: str) -> None:
    uid = await earned(sqlite_services)
    token = (await fetch(f"{server}/ob3/credentials/{uid}.jwt")).decode()
    jwks = json.loads(await fetch(f"{server}/.well-known/jwks.json"))
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["credentialSubject"]["achievement"]["name"] = "Master of Everything"
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{head}.{forged_body}.{signature}"
    with pytest.raises(BadSignatureError):
        independent_payload(forged, jwks)
    path = Path(sqlite_services.settings.keys_dir).parent / "forged.jwt"
    path.write_text(forged)
    result = await verify(str(path))
    assert not result.ok and "signature does not match" in result.reason
    # signed by another key that claims to be the issuer's
    header = json.loads(base64.urlsafe_b64decode(head + "=="))
    other = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers=header)
    path.write_text(other)
    assert "signature does not match" in (await verify(str(path))).reason
    # a key published somewhere else
    header["kid"] = "https://attacker.example/keys/1"
    path.write_text(jwt.encode(claims, Ed25519PrivateKey.generate(), "EdDSA", headers=header))
    assert "is not published by the issuer" in (await verify(str(path))).reason
    # a credential JSON edited after download
    credential = json.loads(await fetch(f"{server}/ob3/credentials/{uid}"))
    credential["name"] = "Something else"
    path.write_text(json.dumps(credential))
    assert "differs from what the issuer signed" in (await verify(str(path))).reason


def bit(encoded: str, index: int) -> bool:
    data = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    return bool(data[index // 8] & (0x80 >> (index % 8)))


async def test_revoked_status_fails_verification(sqlite_services: Application, server: str) -> None:
    uid = await earned(sqlite_services)
    credential = json.loads(await fetch(f"{server}/ob3/credentials/{uid}"))
    index = int(credential["credentialStatus"]["statusListIndex"])
    feature = sqlite_services.credentials
    assert feature is not None
    await feature.revoke_by_admin(uid, "Awarded in error")
    status_jwt = (await fetch(f"{server}/ob3/status/revocation", "application/vc+jwt")).decode()
    jwks = json.loads(await fetch(f"{server}/.well-known/jwks.json"))
    listing = independent_payload(status_jwt, jwks)
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert bit(listing["credentialSubject"]["encodedList"], index)
    assert not bit(listing["credentialSubject"]["encodedList"], index + 1)
    result = await verify(f"{server}/ob3/credentials/{uid}.jwt")
    assert not result.ok and result.reason.startswith("status: revocation")


async def test_expired_credential_fails_verification(
    sqlite_services: Application, server: str
) -> None:
    uid = await earned(sqlite_services)
    feature = sqlite_services.credentials
    assert feature is not None
    later = FakeClock(utcnow())
    later.set(utcnow() + timedelta(days=400))
    result = await verify(f"{server}/ob3/credentials/{uid}.jwt", now=later.now())
    assert not result.ok and result.reason.startswith("expiry: expired on")


async def test_rotated_keys_keep_old_credentials_valid(
    sqlite_services: Application, server: str
) -> None:
    from bot.credentials.keys import rotate

    old = await earned(sqlite_services, "old")
    rotate(sqlite_services.settings.keys_dir)
    new = await earned(sqlite_services, "new")
    jwks = json.loads(await fetch(f"{server}/.well-known/jwks.json"))
    assert len(jwks["keys"]) == 2
    for uid in (old, new):
        token = (await fetch(f"{server}/ob3/credentials/{uid}.jwt")).decode()
        independent_payload(token, jwks)
        assert (await verify(f"{server}/ob3/credentials/{uid}.jwt")).ok
    kids = {
        json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "=="))["kid"]
        for t in [(await fetch(f"{server}/ob3/credentials/{u}.jwt")).decode() for u in (old, new)]
    }
    assert len(kids) == 2
