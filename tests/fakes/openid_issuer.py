"""A local OpenID issuer (metadata + JWKS) in its own thread, and Bot Framework tokens.

botbuilder fetches the signing keys with blocking `requests` from inside the event loop,
so the issuer must not share the test's loop: it runs in a thread on 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CHANNEL_ISSUER = "https://api.botframework.com"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdIssuer:
    """Serves `/.well-known/openid-configuration` and `/keys`; signs tokens with its key."""

    def __init__(self, kid: str = "test-key", endorsements: tuple[str, ...] = ("msteams",)):
        self.kid = kid
        self.key = new_key()
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=kid, use="sig", endorsements=list(endorsements))
        self.jwks = {"keys": [jwk]}
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.startswith("/.well-known/openid-configuration"):
                    body: dict[str, Any] = {
                        "issuer": CHANNEL_ISSUER,
                        "jwks_uri": f"{issuer.url}/keys",
                    }
                elif self.path.startswith("/keys"):
                    body = issuer.jwks
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def start(self) -> OpenIdIssuer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def token(
        self,
        audience: str,
        service_url: str,
        *,
        key: Any = None,
        lifetime: int = 600,
        **claims: Any,
    ) -> str:
        """A channel token like the Bot Connector sends (`key` forges one)."""
        now = int(time.time())
        payload = {
            "iss": CHANNEL_ISSUER,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + lifetime,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": self.kid})
