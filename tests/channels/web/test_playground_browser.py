"""The playground in real headless Chromium: a learner completes a lesson and a quiz by clicking."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import microcred_env, run_cli, serving

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "library"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("MICROCRED_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (MICROCRED_REQUIRE_BROWSER) but not installed")
        pytest.skip("no system Chromium: install Debian's chromium to run the playground test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        yield page
        browser.close()


def answer(page: object, prompt: str, text: str) -> None:
    """Type into the form of the question showing `prompt`, once it is on screen."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    question = page.locator("article", has_text=prompt).last
    question.locator("form input, form textarea").fill(text)
    question.get_by_role("button", name="Submit answer").click()
    question.get_by_text("Your answer:").wait_for()


def test_a_learner_completes_a_lesson_and_a_quiz_by_clicking(
    browser_page: object, sqlite_url: str
) -> None:
    from playwright.sync_api import Page, expect

    page = browser_page
    assert isinstance(page, Page)
    env = microcred_env(sqlite_url, FIXTURE)
    with serving(env) as base:
        page.goto(base + "/")
        expect(page.get_by_text("microcred playground link")).to_be_visible()  # not signed in
        port = base.rsplit(":", 1)[1]
        made = run_cli("playground", "link", "Nia", env={**env, "MICROCRED_PORT": port})
        assert made.returncode == 0, made.stderr
        page.goto(made.stdout.strip())
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Chatting as Nia.")).to_be_visible()
        page.get_by_role("button", name="Start: Mini program").click()
        expect(page.get_by_text("The first page.")).to_be_visible()

        page.get_by_role("button", name="Next page").click()
        expect(page.get_by_text("The second page.")).to_be_visible()
        expect(page.get_by_role("button", name="Next page")).to_have_count(0)
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_text("Pick B.")).to_be_visible()
        page.get_by_role("button", name="B", exact=True).click()
        expect(page.get_by_text("✅ Correct: 1 of 1 point.")).to_be_visible()

        page.get_by_label("A. Yes", exact=True).check()
        page.get_by_label("C. Yes too").check()
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_text("✅ Correct").nth(1)).to_be_visible()

        page.get_by_role("button", name="True", exact=True).click()
        answer(page, "How many hours?", "72")
        answer(page, "Name the model.", "Situation-Behaviour-Impact")
        answer(page, "Explain.", "It names the situation, the behaviour and the impact.")

        expect(page.get_by_text(re.compile("Every step done|Program complete"))).to_be_visible()
        answered = page.locator("article", has_text="Pick B.")
        expect(answered.locator("button")).to_have_count(0)  # a used prompt is retired
        page.fill("#text", "progress")
        page.click("#send")
        expect(page.get_by_text("2 of 2 steps")).to_be_visible()
