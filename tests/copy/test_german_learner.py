"""A learner whose platform speaks German reads the moved copy in German (the machine-drafted
catalogue), and one whose locale has no catalogue reads English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.application import Application
from bot.content import Catalog, load_library
from bot.core.views import Header
from bot.settings import Settings
from tests.driver import Learner, all_text, buttons

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


@pytest.fixture
async def services(sqlite_url: str) -> AsyncIterator[Application]:
    catalog: Catalog = load_library(FIXTURE)
    built = Application.build(Settings(database_url=sqlite_url), catalog=catalog)
    yield built
    await built.stop()


def headers(learner: Learner) -> list[str]:
    return [b.text for m in learner.inbox for b in m.blocks if isinstance(b, Header)]


async def test_help_catalog_and_a_question_read_in_german(services: Application) -> None:
    anna = Learner(services.router, "anna", locale="de-DE")
    await anna.say("help")
    assert headers(anna)[:2] == ["Lernen im Chat", "Programme"]
    assert "Programme ansehen" in [b.label for m in anna.inbox for b in buttons(m)]
    listing = all_text(anna.inbox[1])
    assert "Lektion" in listing and "Nachweis:" in listing and "lessons" not in listing
    program = next(iter(services.catalog.programs))
    await anna.say(f"start {program}")
    for _ in range(30):
        if any("Frage 1 von" in all_text(m) for m in anna.inbox):
            break
        await anna.say("next")
    shown = " ".join(all_text(m) for m in anna.inbox)
    assert "Frage 1 von" in shown and "Schritt 1 von" in shown


async def test_a_locale_without_a_catalogue_reads_english(services: Application) -> None:
    joao = Learner(services.router, "joao", locale="pt-BR")
    await joao.say("help")
    assert headers(joao)[:2] == ["Learning in chat", "Programs"]


async def test_the_catalog_counts_in_whole_words(services: Application) -> None:
    cid = Learner(services.router, "cid")
    await cid.say("catalog")
    listing = all_text(cid.inbox[-1])
    counts = {
        p.id: (sum(s.kind == "lesson" for s in p.steps), sum(s.kind == "quiz" for s in p.steps))
        for p in services.catalog
    }
    assert any(1 in pair for pair in counts.values()), "the fixture has a one-lesson program"
    assert "1 lessons" not in listing and "1 quizzes" not in listing
    for lessons, quizzes in counts.values():
        plural = ("s" if lessons != 1 else "", "zes" if quizzes != 1 else "")
        assert f"{lessons} lesson{plural[0]} · {quizzes} quiz{plural[1]} · " in listing


async def test_a_learner_picks_a_language_in_settings_and_the_bot_switches(
    services: Application,
) -> None:
    dora = Learner(services.router, "dora")
    await dora.say("settings language de")
    await dora.say("help")
    assert "Lernen im Chat" in headers(dora)
    refused = await dora.say("settings language xx")
    assert refused.refused and "`de`, `en`" in refused.refused
    await dora.say("settings language en")
    dora.inbox.clear()
    await dora.say("help")
    assert headers(dora)[0] == "Learning in chat"
