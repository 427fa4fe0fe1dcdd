"""Sign-in for every web surface that acts for a person: signed, expiring, single-use links
that a POST spends, and an HTTP-only SameSite=Strict session cookie."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.core.middleware import EventClaims
from bot.web.pages import html_page

log = logging.getLogger(__name__)

COOKIE = "microcred_session"
LINK_SECONDS = 3600
SESSION_SECONDS = 12 * 3600
KEY_FILE = "signin.key"
LINK_SALT = "microcred-signin-link"


def signin_key(keys_dir: Path) -> bytes:
    """The server's signing key for links and sessions, made once (mode 0600) in `keys_dir`."""
    path = keys_dir / KEY_FILE
    if not path.exists():
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = secrets.token_hex(32)
        try:
            with open(path, "x", encoding="ascii", opener=_private) as out:
                out.write(fresh)
        except FileExistsError:
            pass  # another process wrote it first; read theirs
    return path.read_text(encoding="ascii").strip().encode()


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def same_origin(request: web.Request, *, required: bool) -> bool:
    """The request's Origin names this very host (browsers send it on every POST)."""
    origin = request.headers.get("Origin", "")
    if not origin:
        return not required
    return urlsplit(origin).netloc.lower() == request.host.lower()


def _safe_next(path: object) -> str:
    """Only a path on our own site: never a scheme, a host or `//elsewhere`."""
    if isinstance(path, str) and path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return "/"


def sign_in_link(key: bytes, base_url: str, next_path: str = "/") -> str:
    """A link valid for LINK_SECONDS that signs in one browser, once, then opens `next_path`."""
    links = URLSafeTimedSerializer(key, salt=LINK_SALT)
    token = links.dumps({"n": secrets.token_urlsafe(16), "next": _safe_next(next_path)})
    return f"{base_url.rstrip('/')}/signin?token={quote(str(token))}"


@dataclass
class SignIn:
    """Issues sign-in links, spends them once, and recognises the session they start."""

    key: bytes
    claims: EventClaims
    secure_cookie: bool = False

    def __post_init__(self) -> None:
        self._links = URLSafeTimedSerializer(self.key, salt=LINK_SALT)
        self._sessions = URLSafeTimedSerializer(self.key, salt="microcred-session")

    def link(self, base_url: str, next_path: str = "/") -> str:
        return sign_in_link(self.key, base_url, next_path)

    async def spend(self, token: str) -> str | None:
        """The page to open once signed in, or None for a forged, expired or spent link."""
        try:
            data = self._links.loads(token, max_age=LINK_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("n"), str):
            return None
        if not await self.claims.claim(f"signin:{data['n']}"):
            return None
        return _safe_next(data.get("next"))

    def signed_in(self, request: web.Request) -> bool:
        cookie = request.cookies.get(COOKIE, "")
        if not cookie:
            return False
        try:
            self._sessions.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return False
        return True

    def session_value(self) -> str:
        """A fresh signed session, as the cookie holds it."""
        return str(self._sessions.dumps({"s": secrets.token_urlsafe(16)}))

    def start_session(self, response: web.StreamResponse) -> None:
        response.set_cookie(
            COOKIE,
            self.session_value(),
            max_age=SESSION_SECONDS,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookie,
        )

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get("/signin", self._page), web.post("/signin", self._spend)]

    async def _page(self, request: web.Request) -> web.Response:
        # A GET never spends the token: link previews and mail scanners fetch links.
        token = request.query.get("token", "")
        body = (
            "<h1>Sign in to microcred</h1>"
            "<p>This link signs in this browser once. It works for one hour.</p>"
            '<form method="post" action="/signin">'
            f'<input type="hidden" name="token" value="{escape(token)}">'
            '<button type="submit" class="btn btn-primary">Sign in</button></form>'
        )
        return web.Response(text=html_page("Sign in", body), content_type="text/html")

    async def _spend(self, request: web.Request) -> web.Response:
        if not same_origin(request, required=False):
            return web.Response(text="Cross-site sign-in is refused.", status=403)
        form = await request.post()
        token = form.get("token")
        try:
            next_path = await self.spend(token) if isinstance(token, str) and token else None
        except Exception as exc:  # the single-use record lives in the database
            log.warning("cannot sign in now: %s", exc)
            return web.Response(text="Cannot sign in right now; try again shortly.", status=503)
        if next_path is None:
            log.info("a sign-in link was refused (forged, expired or already used)")
            body = (
                "<h1>This sign-in link cannot be used</h1><p>It has expired or was used "
                "already. Run <code>microcred playground link</code> for a fresh one.</p>"
            )
            return web.Response(
                text=html_page("Sign-in link used", body), content_type="text/html", status=403
            )
        response = web.HTTPSeeOther(location=next_path)
        self.start_session(response)
        return response
