"""What every request meets first: security headers, and the checks in front of the
surfaces that act for a signed-in person (session, Host, Origin, Content-Type)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from aiohttp import web

from bot.web.pages import html_page
from bot.web.signin import SignIn, same_origin

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def security_headers(_: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the same hardening on every response, and no version banner."""
    response.headers["Server"] = "microcred"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.content_type == "text/html":
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost (an address a browser elsewhere cannot reach)."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(netloc: str) -> str:
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def _refuse(request: web.Request, status: int, message: str) -> web.Response:
    log.info("refused %s %s: %s", request.method, request.path, message)
    if request.path.startswith("/playground/api/"):
        return web.json_response({"error": message}, status=status)
    body = f"<h1>{message}</h1>"
    return web.Response(text=html_page(message, body), content_type="text/html", status=status)


class SignedInOnly:
    """Middleware: under `prefixes`, nothing is readable or writable without a session, and a
    state-changing request must come from our own page (Origin), to a name we serve (Host,
    against DNS rebinding), as JSON (which a cross-site form cannot send)."""

    def __init__(
        self,
        signin: SignIn,
        *,
        paths: Iterable[str] = (),
        prefixes: Iterable[str] = (),
        hosts: Iterable[str] = (),
    ) -> None:
        self.signin = signin
        self.paths = frozenset(paths)
        self.prefixes = tuple(prefixes)
        self.hosts = frozenset(h.lower() for h in hosts if h)

    def guards(self, path: str) -> bool:
        return path in self.paths or path.startswith(self.prefixes)

    def host_allowed(self, host: str) -> bool:
        name = _host_name(host)
        return is_loopback(name) or name in self.hosts

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.guards(request.path):
            return await handler(request)
        if not self.host_allowed(request.host):
            return _refuse(request, 421, "This server does not answer to that host name")
        if request.method not in SAFE_METHODS:
            if not same_origin(request, required=True):
                return _refuse(request, 403, "Cross-site requests are refused")
            if request.content_type != "application/json":
                return _refuse(request, 415, "Send JSON (Content-Type: application/json)")
        if not self.signin.signed_in(request):
            if request.path.startswith("/playground/api/"):
                return web.json_response({"error": SIGN_IN_HINT, "signin": True}, status=401)
            return web.Response(
                text=html_page("Sign in", SIGN_IN_PAGE), content_type="text/html", status=401
            )
        return await handler(request)


SIGN_IN_HINT = (
    "You are not signed in. Run `microcred playground link` where the bot runs and open the "
    "link it prints."
)
SIGN_IN_PAGE = (
    "<h1>Sign in to the microcred playground</h1>"
    "<p>The playground acts for learners and admins, so it needs a sign-in link. "
    "<code>make run</code> prints one when the server starts; for a fresh one, run</p>"
    "<pre><code>microcred playground link</code></pre><p>and open the link it prints.</p>"
)
