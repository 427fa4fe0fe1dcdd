"""Awarding, issuing and revoking badges: once per edition, atomically with the caller's work."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.core.errors import BadRequest
from bot.credentials import ob2, ob3
from bot.credentials.context import Issuing
from bot.credentials.evidence import gather
from bot.credentials.sign import sign_credential
from bot.credentials.view import AwardView, snapshot
from storage.models import BadgeAward, Enrollment, Person
from storage.queries import badges as q

RENEWAL_WINDOW = timedelta(days=30)
REMINDERS = {"30d": timedelta(days=30), "7d": timedelta(days=7)}
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")


def renewal_open(award: BadgeAward, now: datetime) -> bool:
    """Whether the award is expired or close enough to expiry to be earned again."""
    if award.expires_at is None:
        return False
    window = min(RENEWAL_WINDOW, (award.expires_at - award.awarded_at) / 2)
    return award.expires_at - now <= window


def is_current(award: BadgeAward, now: datetime) -> bool:
    """Held and not up for renewal: a new completion returns this award instead."""
    return award.revoked_at is None and award.person_id is not None and not renewal_open(award, now)


def valid_email(text: str) -> str:
    address = text.strip().strip("<>").lower()
    if len(address) > 320 or not EMAIL.match(address):
        raise BadRequest(
            f"“{text.strip()[:80]}” does not look like an e-mail address. "
            "Send it like `badges email you@example.com`."
        )
    return address


async def award_badge(
    session: AsyncSession,
    ctx: Issuing,
    *,
    person: Person,
    program: Program,
    source: str = "completion",
    enrollment: Enrollment | None = None,
    email: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
) -> tuple[BadgeAward, bool]:
    """The person's award for `program`, created unless a current one exists.

    Returns (award, created). Retries and concurrent calls compute the same edition and
    collide on its unique key, so exactly one award is stored and every caller gets it.
    """
    now = ctx.now()
    latest = await q.latest_award(session, person_id=person.id, program_id=program.id)
    if latest is not None and is_current(latest, now):
        return latest, False
    days = program.meta.badge.expires_after_days
    values = {
        "uid": uuid.uuid4().hex,
        "workspace_id": person.workspace_id,
        "person_id": person.id,
        "program_id": program.id,
        "edition": latest.edition + 1 if latest is not None else 1,
        "program_hash": program.hash,
        "badge": snapshot(program),
        "source": source,
        "evidence": evidence
        if evidence is not None
        else await gather(session, program, enrollment),
        "awarded_at": now,
        "expires_at": now + timedelta(days=days) if days else None,
        "announce_state": "none",
    }
    award = await q.insert_award(session, values)
    if award.uid != values["uid"]:
        return award, False
    if latest is not None:
        await q.cancel_reminders(session, award_ids=[latest.id])
    if award.expires_at is not None:
        due = {kind: award.expires_at - ahead for kind, ahead in REMINDERS.items()}
        await q.add_reminders(
            session, award_id=award.id, due={k: d for k, d in due.items() if d > now}
        )
    address = email or await recipient_email(session, person)
    if address:
        issue(ctx, award, valid_email(address), holder=person.display_name)
    await session.flush()
    return award, True


async def recipient_email(session: AsyncSession, person: Person) -> str | None:
    """The address for the person's badges: the one they gave us, else their profile's."""
    pref = await q.preference(session, person_id=person.id)
    return pref.email or person.email


def issue(ctx: Issuing, award: BadgeAward, email: str, *, holder: str | None) -> None:
    """Issue the credentials: hash the recipient, sign the OB 3.0 credential."""
    salt = secrets.token_hex(16)
    award.recipient_email, award.salt = email, salt
    award.identity_hash = ob2.hash_identity(email, salt)
    award.issued_at = ctx.now()
    credential = ob3.credential(
        ctx.urls,
        ctx.issuer,
        AwardView.of(award, holder),
        index=award.id,
        identity_hash=award.identity_hash,
        salt=salt,
    )
    key = ctx.keyring().current
    award.credential_jwt = sign_credential(credential, key, ctx.urls)
    award.key_id = key.kid


async def set_email(
    session: AsyncSession, ctx: Issuing, *, person: Person, text: str
) -> list[BadgeAward]:
    """Remember the e-mail for the person's badges and issue those that waited for it."""
    address = valid_email(text)
    pref = await q.preference(session, person_id=person.id)
    pref.email = address
    issued = []
    for award in await q.awards_of(session, person_id=person.id):
        if award.issued_at is None and award.revoked_at is None:
            issue(ctx, award, address, holder=person.display_name)
            issued.append(award)
    await session.flush()
    return issued


async def revoke(
    session: AsyncSession, ctx: Issuing, *, uid: str, reason: str
) -> tuple[BadgeAward, bool]:
    """Revoke an award with a reason; returns (award, changed). BadRequest if unknown."""
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise BadRequest("give a reason for the revocation: it is published with the status")
    award = await q.award_by_uid(session, uid=uid.strip().lower())
    if award is None:
        raise BadRequest(f"no badge award has the id '{uid}'")
    if award.revoked_at is not None:
        return award, False
    award.revoked_at, award.revocation_reason = ctx.now(), reason
    await q.cancel_reminders(session, award_ids=[award.id])
    await session.flush()
    return award, True
