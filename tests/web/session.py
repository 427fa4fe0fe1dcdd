"""A browser-like client of the running app, signed in through a real sign-in link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.server import SIGNIN


def link_token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def browser(app: web.Application) -> TestClient:
    """A client that sends our own Origin on every request, as a browser on our page does."""
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    client = TestClient(server, headers={"Origin": f"http://127.0.0.1:{server.port}"})
    await client.start_server()
    return client


async def sign_in(client: TestClient) -> None:
    """Open a fresh sign-in link and press its button, keeping the session cookie."""
    app = client.app
    assert app is not None
    link = app[SIGNIN].link(str(client.make_url("")))
    response = await client.post("/signin", data={"token": link_token(link)}, allow_redirects=False)
    assert response.status == 303, await response.text()


async def signed_in_browser(app: web.Application) -> TestClient:
    client = await browser(app)
    await sign_in(client)
    return client


async def sign_in_http(http: ClientSession, app: web.Application, base: str) -> None:
    """The same sign-in for a plain client session (its cookie jar must accept IP hosts)."""
    link = app[SIGNIN].link(base)
    async with http.post(
        f"{base}/signin",
        data={"token": link_token(link)},
        headers={"Origin": base},
        allow_redirects=False,
    ) as response:
        assert response.status == 303, await response.text()
