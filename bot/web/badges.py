"""Public badge routes: OB 2.0 hosted documents, OB 3.0 credentials, keys, status, pages."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from bot.credentials import Credentials, documents, ob2, ob3
from bot.web.badge_page import award_page, program_page, withdrawn_page

log = logging.getLogger(__name__)
LIVE = "public, max-age=30"
"""Short caching: a revocation reaches every cache within a minute."""
JWT_TYPES = ("application/vc+jwt", "application/jwt")
UID = r"{uid:[0-9a-fA-F]+}"


def _headers(cache: str = LIVE) -> dict[str, str]:
    return {"Cache-Control": cache, "Access-Control-Allow-Origin": "*"}


def _json(
    doc: dict[str, Any], status: int = 200, kind: str = "application/ld+json"
) -> web.Response:
    return web.Response(
        text=json.dumps(doc, indent=2, ensure_ascii=False),
        status=status,
        content_type=kind,
        headers=_headers(),
    )


def _jwt(token: str) -> web.Response:
    return web.Response(text=token, content_type="application/vc+jwt", headers=_headers())


def _wants_jwt(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in JWT_TYPES)


def _not_found(what: str) -> web.HTTPNotFound:
    return web.HTTPNotFound(
        text=json.dumps({"error": f"no such {what}"}), content_type="application/json"
    )


class BadgeRoutes:
    """Everything anyone needs to verify a badge without trusting us."""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials
        self.ctx = credentials.ctx
        self.database = credentials.database

    def routes(self) -> list[web.RouteDef]:
        get = web.get
        return [
            get("/ob2/issuer", self.ob2_issuer),
            get("/ob2/badges/{program_id}", self.badge_class),
            get(f"/ob2/assertions/{UID}", self.assertion),
            get("/ob2/revocations", self.revocations),
            get("/ob3/issuer", self.ob3_issuer),
            get("/ob3/achievements/{program_id}", self.achievement),
            get(f"/ob3/credentials/{UID}.jwt", self.credential_jwt),
            get(f"/ob3/credentials/{UID}", self.credential),
            get("/ob3/status/revocation.jwt", self.status_jwt),
            get("/ob3/status/revocation", self.status),
            get("/ob3/keys/{kid}", self.key),
            get("/.well-known/jwks.json", self.jwks),
            get("/badges/images/{program_id}.png", self.image),
            get("/badges/programs/{program_id}", self.program),
            get(f"/badges/{UID}/badge.png", self.baked),
            get(f"/badges/{UID}", self.page),
        ]

    async def ob2_issuer(self, _: web.Request) -> web.Response:
        return _json(ob2.issuer_profile(self.ctx.urls, self.ctx.issuer))

    async def ob3_issuer(self, _: web.Request) -> web.Response:
        return _json(ob3.issuer_document(self.ctx.urls, self.ctx.issuer))

    async def badge_class(self, request: web.Request) -> web.Response:
        async with self.database.transaction() as session:
            doc = await documents.badge_class(session, self.ctx, request.match_info["program_id"])
        if doc is None:
            raise _not_found("badge class")
        return _json(doc)

    async def achievement(self, request: web.Request) -> web.Response:
        async with self.database.transaction() as session:
            doc = await documents.achievement(session, self.ctx, request.match_info["program_id"])
        if doc is None:
            raise _not_found("achievement")
        return _json(doc)

    async def assertion(self, request: web.Request) -> web.Response:
        async with self.database.transaction() as session:
            found = await documents.assertion(session, self.ctx, request.match_info["uid"])
        if found is None:
            raise _not_found("assertion")
        status, doc = found
        return _json(doc, status=status)

    async def revocations(self, _: web.Request) -> web.Response:
        async with self.database.transaction() as session:
            return _json(await documents.revocations(session, self.ctx))

    async def _credential(self, request: web.Request) -> tuple[dict[str, Any], str]:
        async with self.database.transaction() as session:
            found = await documents.credential(session, request.match_info["uid"])
        if found is None:
            raise _not_found("credential")
        return found

    async def credential(self, request: web.Request) -> web.Response:
        doc, token = await self._credential(request)
        return _jwt(token) if _wants_jwt(request) else _json(doc, kind="application/json")

    async def credential_jwt(self, request: web.Request) -> web.Response:
        return _jwt((await self._credential(request))[1])

    async def _status(self) -> tuple[dict[str, Any], str]:
        async with self.database.transaction() as session:
            return await documents.status_list(session, self.ctx)

    async def status(self, request: web.Request) -> web.Response:
        doc, token = await self._status()
        return _jwt(token) if _wants_jwt(request) else _json(doc, kind="application/json")

    async def status_jwt(self, _: web.Request) -> web.Response:
        return _jwt((await self._status())[1])

    async def key(self, request: web.Request) -> web.Response:
        found = documents.key(self.ctx, request.match_info["kid"])
        if found is None:
            raise _not_found("key")
        return _json(found, kind="application/jwk+json")

    async def jwks(self, _: web.Request) -> web.Response:
        return _json(documents.jwks(self.ctx), kind="application/json")

    async def image(self, request: web.Request) -> web.Response:
        program_id = request.match_info["program_id"]
        async with self.database.transaction() as session:
            badge = await documents.badge_snapshot(session, self.ctx, program_id)
        if badge is None:
            raise _not_found("badge image")
        data = self.ctx.image(program_id, badge)
        return web.Response(
            body=data, content_type="image/png", headers=_headers("public, max-age=3600")
        )

    async def baked(self, request: web.Request) -> web.Response:
        uid = request.match_info["uid"]
        async with self.database.transaction() as session:
            data = await documents.baked_png(session, self.ctx, uid)
        if data is None:
            raise _not_found("issued, valid badge")
        headers = {**_headers(), "Content-Disposition": f'attachment; filename="badge-{uid}.png"'}
        return web.Response(body=data, content_type="image/png", headers=headers)

    async def page(self, request: web.Request) -> web.Response:
        async with self.database.transaction() as session:
            found = await documents.award_view(session, request.match_info["uid"])
        if found is None:
            raise web.HTTPNotFound(text="No such badge.")
        view = found[1]
        if view.withdrawn:
            return web.Response(text=withdrawn_page(), status=410, content_type="text/html")
        html = award_page(view, self.ctx.urls, self.ctx.issuer.name, self.ctx.now())
        return web.Response(
            text=html, content_type="text/html", headers={"Cache-Control": "no-cache"}
        )

    async def program(self, request: web.Request) -> web.Response:
        program_id = request.match_info["program_id"]
        async with self.database.transaction() as session:
            badge = await documents.badge_snapshot(session, self.ctx, program_id)
        if badge is None:
            raise web.HTTPNotFound(text="No such program.")
        html = program_page(program_id, badge, self.ctx.urls, self.ctx.issuer.name)
        return web.Response(text=html, content_type="text/html")


def badge_routes(credentials: Credentials) -> list[web.RouteDef]:
    return BadgeRoutes(credentials).routes()
