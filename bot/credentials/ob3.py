"""Open Badges 3.0 documents: issuer profile, achievement, OpenBadgeCredential, status list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.credentials.evidence import criteria_text, statement
from bot.credentials.ob2 import alignments, iso, narrative
from bot.credentials.urls import Issuer, Urls
from bot.credentials.view import AwardView

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def profile(urls: Urls, issuer: Issuer) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": urls.ob3_issuer,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url or urls.base,
    }
    if issuer.email:
        doc["email"] = issuer.email
    return doc


def issuer_document(urls: Urls, issuer: Issuer) -> dict[str, Any]:
    """The issuer profile served at its id, with where its signing keys are published."""
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        **profile(urls, issuer),
        "jwks_uri": urls.jwks,
    }


def achievement(
    urls: Urls, program_id: str, badge: dict[str, Any], assessed: str = ""
) -> dict[str, Any]:
    """The achievement; in a credential, `assessed` adds what its holder's award rests on."""
    return {
        "id": urls.achievement(program_id),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": badge["name"],
        "description": badge["description"],
        "criteria": {
            "id": urls.program_page(program_id),
            "narrative": criteria_text(badge, assessed),
        },
        "image": {
            "id": urls.image(program_id),
            "type": "Image",
            "caption": f"{badge['name']} badge",
        },
        "tag": list(badge.get("tags", [])),
        "alignment": [{"type": ["Alignment"], **a} for a in alignments(urls, program_id, badge)],
    }


def _evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        entry: dict[str, Any] = {"type": ["Evidence"]}
        keys = ("name", "description", "narrative", "genre")
        entry.update({k: item[k] for k in keys if item.get(k)})
        if item.get("url"):
            entry["id"] = item["url"]
        out.append(entry)
    return out


def credential(
    urls: Urls,
    issuer: Issuer,
    award: AwardView,
    *,
    index: int,
    identity_hash: str,
    salt: str,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of an award (VC Data Model 2.0)."""
    doc: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": urls.credential(award.uid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": award.name,
        "issuer": profile(urls, issuer),
        "validFrom": iso(award.awarded_at),
        "credentialSubject": {
            "id": f"urn:uuid:{_as_uuid(award.uid)}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash,
                    "salt": salt,
                }
            ],
            "achievement": achievement(urls, award.program_id, award.badge, statement(award)),
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            "id": f"{urls.status_list}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": urls.status_list,
        },
    }
    if award.expires_at is not None:
        doc["validUntil"] = iso(award.expires_at)
    if award.evidence:
        doc["evidence"] = _evidence(award.evidence)
        doc["credentialSubject"]["narrative"] = narrative(award)
    return doc


def _as_uuid(uid: str) -> str:
    return f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"


def status_list_credential(
    urls: Urls, issuer: Issuer, encoded_list: str, now: datetime
) -> dict[str, Any]:
    """The revocation BitstringStatusListCredential (W3C Bitstring Status List v1.0)."""
    return {
        "@context": [VC_CONTEXT],
        "id": urls.status_list,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.ob3_issuer,
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{urls.status_list}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
