"""Open Badges 2.0 hosted verification documents: issuer, badge class, assertion, revocations."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from bot.credentials.evidence import criteria_text, statement, summary
from bot.credentials.urls import Issuer, Urls
from bot.credentials.view import AwardView

CONTEXT = "https://w3id.org/openbadges/v2"


def iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def hash_identity(email: str, salt: str) -> str:
    """The OB recipient hash: `sha256$` + hex(SHA-256(lower-cased e-mail + salt))."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer_profile(urls: Urls, issuer: Issuer) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.ob2_issuer,
        "name": issuer.name,
        "url": issuer.url or urls.base,
        "revocationList": urls.revocation_list,
    }
    if issuer.email:
        profile["email"] = issuer.email
    return profile


def alignments(urls: Urls, program_id: str, badge: dict[str, Any]) -> list[dict[str, str]]:
    """One alignment per skill: to its framework when it has one, else to the program page."""
    out = []
    for skill in badge.get("skills", []):
        item = {
            "targetName": skill["name"],
            "targetUrl": skill.get("url") or f"{urls.program_page(program_id)}#skill-{skill['id']}",
        }
        if skill.get("framework"):
            item["targetFramework"] = skill["framework"]
        if skill.get("code"):
            item["targetCode"] = skill["code"]
        out.append(item)
    return out


def badge_class(urls: Urls, program_id: str, badge: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(program_id),
        "name": badge["name"],
        "description": badge["description"],
        "image": urls.image(program_id),
        "criteria": {"id": urls.program_page(program_id), "narrative": criteria_text(badge)},
        "issuer": urls.ob2_issuer,
        "tags": list(badge.get("tags", [])),
        "alignment": alignments(urls, program_id, badge),
    }


def evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        entry = {k: item[k] for k in ("name", "description", "narrative", "genre") if item.get(k)}
        if item.get("url"):
            entry["id"] = item["url"]
        out.append(entry)
    return out


def assertion(urls: Urls, award: AwardView, *, identity_hash: str, salt: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.uid),
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity_hash},
        "badge": urls.badge_class(award.program_id),
        "issuedOn": iso(award.awarded_at),
        "verification": {"type": "hosted"},
    }
    if award.expires_at is not None:
        doc["expires"] = iso(award.expires_at)
    if award.evidence:
        doc["evidence"] = evidence(award.evidence)
        doc["narrative"] = narrative(award)
    return doc


def narrative(award: AwardView) -> str:
    """What was assessed for this award (Markdown): the peer review, then each item."""
    said = statement(award)
    return "\n\n".join(p for p in (said, summary(award)) if p)


def revoked_assertion(urls: Urls, uid: str, reason: str) -> dict[str, Any]:
    """What a revoked hosted assertion answers, with HTTP 410 Gone."""
    return {
        "@context": CONTEXT,
        "id": urls.assertion(uid),
        "revoked": True,
        "revocationReason": reason,
    }


def revocation_list(urls: Urls, revoked: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": urls.revocation_list,
        "issuer": urls.ob2_issuer,
        "revokedAssertions": [
            {"id": urls.assertion(uid), "revocationReason": reason} for uid, reason in revoked
        ],
    }
