"""Signing in to the playground, and the probes it must refuse, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from bot.application import Application
from bot.content import Catalog, load_library
from bot.settings import Settings
from bot.web.server import SIGNIN, create_app
from bot.web.signin import COOKIE, LINK_SALT, LINK_SECONDS
from storage.models import Person
from tests.web.session import browser, link_token, sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_library(FIXTURE)


@pytest.fixture
async def services(sqlite_url: str, mini: Catalog) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=sqlite_url, delivery=False), catalog=mini)
    yield built
    await built.stop()


@pytest.fixture
async def client(services: Application) -> AsyncIterator[TestClient]:
    app = create_app(services)
    app.on_cleanup.clear()
    client = await browser(app)
    yield client
    await client.close()


async def people(services: Application) -> int:
    async with services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


def fresh_token(client: TestClient) -> str:
    app = client.app
    assert app is not None
    return link_token(app[SIGNIN].link(str(client.make_url(""))))


async def test_nothing_is_readable_or_writable_without_a_session(
    client: TestClient, services: Application
) -> None:
    page = await client.get("/")
    assert page.status == 401 and "microcred playground link" in await page.text()
    inbox = await client.get("/playground/api/inbox", params={"user": "Ann"})
    assert inbox.status == 401
    said = await client.post("/playground/api/message", json={"user": "Ann", "text": "help"})
    assert said.status == 401 and (await said.json())["signin"] is True
    assert await people(services) == 0


async def test_a_cross_site_post_is_refused_even_with_a_session(
    client: TestClient, services: Application
) -> None:
    await sign_in(client)
    forged = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
    body = '{"user": "Dana", "text": "reviews override 27 6 pwned"}'
    response = await client.post("/playground/api/message", data=body, headers=forged)
    assert response.status == 403
    as_text = await client.post(
        "/playground/api/message", data=body, headers={"Content-Type": "text/plain"}
    )
    assert as_text.status == 415  # a cross-site form cannot send JSON
    assert await people(services) == 0
    ok = await client.post("/playground/api/message", json={"user": "Dana", "text": "help"})
    assert ok.status == 200 and await people(services) == 1


async def test_a_rebound_host_name_is_refused(client: TestClient) -> None:
    await sign_in(client)
    response = await client.get("/", headers={"Host": f"evil.example:{client.port}"})
    assert response.status == 421


async def test_a_get_of_the_link_spends_nothing_and_a_post_spends_it_once(
    client: TestClient,
) -> None:
    token = fresh_token(client)
    for _ in range(2):  # link previews and mail scanners fetch the link
        shown = await client.get("/signin", params={"token": token})
        assert shown.status == 200 and 'method="post"' in await shown.text()
        assert COOKIE not in shown.cookies
    spent = await client.post("/signin", data={"token": token}, allow_redirects=False)
    assert spent.status == 303 and spent.headers["Location"] == "/"
    cookie = spent.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert (await client.get("/")).status == 200
    again = await client.post("/signin", data={"token": token}, allow_redirects=False)
    assert again.status == 403 and "cannot be used" in await again.text()


async def test_expired_and_forged_links_cannot_sign_in(client: TestClient) -> None:
    app = client.app
    assert app is not None

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - LINK_SECONDS - 60

    old = URLSafeTimedSerializer(app[SIGNIN].key, salt=LINK_SALT, signer=Earlier)
    expired = str(old.dumps({"n": "old", "next": "/"}))
    forged = str(URLSafeTimedSerializer(b"not our key", salt=LINK_SALT).dumps({"n": "x"}))
    for token in (expired, forged, "garbage"):
        response = await client.post("/signin", data={"token": token}, allow_redirects=False)
        assert response.status == 403
    assert (await client.get("/")).status == 401


async def test_a_link_never_redirects_off_site(client: TestClient) -> None:
    app = client.app
    assert app is not None
    link = app[SIGNIN].link(str(client.make_url("")), "//evil.example/")
    spent = await client.post("/signin", data={"token": link_token(link)}, allow_redirects=False)
    assert spent.headers["Location"] == "/"


async def test_html_pages_carry_the_security_headers(client: TestClient) -> None:
    await sign_in(client)
    for path in ("/", "/signin"):
        response = await client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Server"] == "microcred"
    health = await client.get("/healthz")
    assert health.headers["Server"] == "microcred"


@pytest.mark.parametrize(
    ("host", "switch", "mounted"),
    [("0.0.0.0", "auto", False), ("0.0.0.0", "on", True), ("127.0.0.1", "off", False)],
)
async def test_the_playground_is_mounted_on_loopback_only_unless_enabled(
    services: Application, host: str, switch: str, mounted: bool
) -> None:
    services.settings = replace(services.settings, host=host, playground=switch)
    app = create_app(services)
    app.on_cleanup.clear()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        page = await client.get("/")
        assert (page.status != 404) is mounted
        signin = await client.get("/signin")
        assert (signin.status != 404) is mounted


async def test_health_hides_the_database_details_during_an_outage(mini: Catalog) -> None:
    url = "postgresql://nobody@127.0.0.1:9/x"
    down = Application.build(Settings(database_url=url, delivery=False), catalog=mini)
    app = create_app(down)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/healthz")
        body = await response.json()
    assert response.status == 503
    assert body == {"status": "unavailable", "database": "unreachable"}


async def test_the_playground_answers_503_while_the_database_is_down(mini: Catalog) -> None:
    down = Application.build(
        Settings(database_url="postgresql://nobody@127.0.0.1:9/x", delivery=False), catalog=mini
    )
    app = create_app(down)
    client = await browser(app)
    try:
        await sign_in_without_database(client)
        said = await client.post("/playground/api/message", json={"user": "Ann", "text": "help"})
        assert said.status == 503 and "try again" in (await said.json())["error"]
        inbox = await client.get("/playground/api/inbox", params={"user": "Ann"})
        assert inbox.status == 503
    finally:
        await client.close()


async def sign_in_without_database(client: TestClient) -> None:
    """The sign-in link is spent in the database too: without it, no session starts."""
    token = fresh_token(client)
    response = await client.post("/signin", data={"token": token}, allow_redirects=False)
    assert response.status == 503
    app = client.app
    assert app is not None
    client.session.cookie_jar.update_cookies(
        {COOKIE: app[SIGNIN].session_value()}, client.make_url("/")
    )
