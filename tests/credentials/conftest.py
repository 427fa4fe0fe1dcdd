"""Badge fixtures: a small library with expiry and a prerequisite, services, a live server."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from bot.application import Application
from bot.content import Catalog, load_library
from bot.core.events import Actor
from bot.settings import PROJECT_ROOT, Settings
from tests.driver import Learner
from tests.processes import free_port

SHARED = PROJECT_ROOT.parent / "shared"
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "library"
PASSING = ("start mini", "next", "next", "b", "a c", "true", "72", "Situation-Behavior-Impact")


def make_library(root: Path) -> Path:
    """`mini` (a badge valid 365 days) and `mini-plus` (its badge requires mini's)."""
    shutil.copytree(FIXTURE, root)
    quiz = root / "quizzes" / "mini" / "check.yaml"
    quiz.write_text(quiz.read_text().split("  - id: essay")[0])
    program = root / "lessons" / "mini" / "program.yaml"
    program.write_text(program.read_text() + "  expires_after_days: 365\n  tags: [testing]\n")
    shutil.copytree(root / "lessons" / "mini", root / "lessons" / "mini-plus")
    shutil.copytree(root / "quizzes" / "mini", root / "quizzes" / "mini-plus")
    plus = root / "lessons" / "mini-plus" / "program.yaml"
    text = plus.read_text().replace("id: mini", "id: mini-plus").replace("Mini ", "Mini Plus ")
    plus.write_text(text + "  requires: [mini]\n")
    return root


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


@pytest.fixture
def badge_catalog(library: Path) -> Catalog:
    return load_library(library)


def badge_settings(db_url: str, tmp_path: Path, library: Path, port: int = 0) -> Settings:
    return Settings(
        database_url=db_url,
        content_dir=library,
        port=port or free_port(),
        keys_dir=tmp_path / "keys",
        issuer_name="Example Academy",
    )


@pytest.fixture
async def services(
    db_url: str, tmp_path: Path, library: Path, badge_catalog: Catalog
) -> AsyncIterator[Application]:
    built = Application.build(badge_settings(db_url, tmp_path, library), catalog=badge_catalog)
    yield built
    await built.stop()


@pytest.fixture
async def sqlite_services(
    sqlite_url: str, tmp_path: Path, library: Path, badge_catalog: Catalog
) -> AsyncIterator[Application]:
    built = Application.build(badge_settings(sqlite_url, tmp_path, library), catalog=badge_catalog)
    yield built
    await built.stop()


@asynccontextmanager
async def serving(services: Application) -> AsyncIterator[str]:
    """Serve `services` over real HTTP on its configured port; yields the base URL."""
    from bot.web.server import create_app

    app = create_app(services)
    app.on_cleanup.clear()  # the fixture closes the services
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, services.settings.host, services.settings.port)
    await site.start()
    try:
        yield services.settings.base_url
    finally:
        await runner.cleanup()


@pytest.fixture
async def server(sqlite_services: Application) -> AsyncIterator[str]:
    async with serving(sqlite_services) as base:
        yield base


@dataclass
class Person(Learner):
    """A scripted learner with a profile e-mail (as Slack and Teams give)."""

    email: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(self.workspace, self.name, display_name=self.name.title(), email=self.email)


async def complete(learner: Learner, program_id: str = "mini") -> None:
    for text in PASSING:
        await learner.say(text.replace("mini", program_id) if text.startswith("start") else text)


@pytest.fixture
def shared() -> Iterator[Path]:
    if not (SHARED / "conformance").is_dir():
        pytest.skip("../shared/conformance is absent (a fresh clone): conformance tests skipped")
    yield SHARED / "conformance"
