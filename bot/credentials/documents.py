"""The public documents, built live from the database so revocation shows at once."""

from __future__ import annotations

from typing import Any

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from bot.credentials import ob2, ob3, status
from bot.credentials.bake import bake
from bot.credentials.context import Issuing
from bot.credentials.sign import credential_of, sign_credential
from bot.credentials.view import AwardView, snapshot
from storage.models import BadgeAward
from storage.queries import badges as q

GONE = "withdrawn: the earner's records were erased"


async def badge_snapshot(
    session: AsyncSession, ctx: Issuing, program_id: str
) -> dict[str, Any] | None:
    program = ctx.program(program_id)
    if program is not None:
        return snapshot(program)
    return await q.latest_badge_snapshot(session, program_id=program_id)


async def badge_class(
    session: AsyncSession, ctx: Issuing, program_id: str
) -> dict[str, Any] | None:
    badge = await badge_snapshot(session, ctx, program_id)
    return ob2.badge_class(ctx.urls, program_id, badge) if badge else None


async def achievement(
    session: AsyncSession, ctx: Issuing, program_id: str
) -> dict[str, Any] | None:
    badge = await badge_snapshot(session, ctx, program_id)
    if badge is None:
        return None
    return {
        "@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT],
        **ob3.achievement(ctx.urls, program_id, badge),
    }


async def award_view(session: AsyncSession, uid: str) -> tuple[BadgeAward, AwardView] | None:
    award = await q.award_by_uid(session, uid=uid.lower())
    if award is None:
        return None
    return award, AwardView.of(award, await q.holder_name(session, award=award))


async def assertion(
    session: AsyncSession, ctx: Issuing, uid: str
) -> tuple[int, dict[str, Any]] | None:
    """(HTTP status, document): 200 with the assertion, 410 when revoked; None if unknown."""
    found = await award_view(session, uid)
    if found is None or (found[0].identity_hash is None and found[0].person_id is not None):
        return None
    award, view = found
    if view.status(ctx.now()) == "revoked":
        reason = view.revocation_reason or GONE
        return 410, ob2.revoked_assertion(ctx.urls, view.uid, reason)
    assert award.identity_hash is not None and award.salt is not None
    return 200, ob2.assertion(ctx.urls, view, identity_hash=award.identity_hash, salt=award.salt)


async def revocations(session: AsyncSession, ctx: Issuing) -> dict[str, Any]:
    revoked = [(a.uid, a.revocation_reason or GONE) for a in await q.revoked_awards(session)]
    return ob2.revocation_list(ctx.urls, revoked)


async def status_list(session: AsyncSession, ctx: Issuing) -> tuple[dict[str, Any], str]:
    """The revocation status list credential, and the same signed as a VC-JWT."""
    top, revoked = await q.status_list_bits(session)
    doc = ob3.status_list_credential(
        ctx.urls, ctx.issuer, status.encode(revoked, size=top + 1), ctx.now()
    )
    return doc, sign_credential(doc, ctx.keyring().current, ctx.urls)


async def credential(session: AsyncSession, uid: str) -> tuple[dict[str, Any], str] | None:
    """The OB 3.0 credential as JSON and as the signed VC-JWT; None until it is issued."""
    award = await q.award_by_uid(session, uid=uid.lower())
    if award is None or not award.credential_jwt:
        return None
    payload = jwt.decode(award.credential_jwt, options={"verify_signature": False})
    return credential_of(payload), award.credential_jwt


async def baked_png(session: AsyncSession, ctx: Issuing, uid: str) -> bytes | None:
    """The badge image with the hosted assertion (and the OB 3.0 credential) baked in."""
    found = await assertion(session, ctx, uid)
    award = await q.award_by_uid(session, uid=uid.lower())
    if found is None or found[0] != 200 or award is None:
        return None
    image = ctx.image(award.program_id, dict(award.badge or {}))
    return bake(image, found[1], award.credential_jwt)


def jwks(ctx: Issuing) -> dict[str, Any]:
    return {"keys": [k.jwk() for k in ctx.keyring().keys]}


def key(ctx: Issuing, kid: str) -> dict[str, Any] | None:
    found = ctx.keyring().find(kid)
    return found.jwk() if found is not None else None
