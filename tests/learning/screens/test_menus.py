"""Help, the catalog and lesson pages, as the learner reads them."""

from __future__ import annotations

from pathlib import Path

from bot.content import Catalog, load_library
from bot.learning.screens import catalog_message, help_message, lesson_page
from tests.driver import all_text, buttons
from tests.learning.pool import question, write_pool


def test_help_offers_the_next_step_once_enrolled_and_the_catalog_before() -> None:
    enrolled, newcomer = help_message(True), help_message(False)
    assert [(b.label, b.command) for b in buttons(enrolled)] == [
        ("Next step", "next"),
        ("My progress", "progress"),
    ]
    assert [(b.label, b.command) for b in buttons(newcomer)] == [("Browse programs", "catalog")]
    for command in ("catalog", "start <program>", "next", "progress", "pause", "settings"):
        assert f"`{command}`" in all_text(newcomer)


def test_the_catalog_lists_each_program_with_start_or_continue(
    mini: Catalog, tmp_path: Path
) -> None:
    pool = load_library(write_pool(tmp_path, f"id: final\ntitle: Final\nquestions:\n{question(1)}"))
    both = Catalog({**pool.programs, **mini.programs})
    shown = catalog_message(both, {"pool"})
    text = all_text(shown)
    assert "**Mini program**\nA tiny program for tests." in text and "earns *Mini Badge*" in text
    assert text.index("Mini program") < text.index("Pool program")  # by title
    assert [(b.label, b.command) for b in buttons(shown)] == [
        ("Start: Mini program", "start mini"),
        ("Continue: Pool program", "start pool"),
    ]
    assert "No programs are installed yet." in all_text(catalog_message(Catalog({}), set()))


def test_a_lesson_page_says_where_it_is_and_offers_the_next_page_or_continue(
    mini: Catalog,
) -> None:
    program = mini.programs["mini"]
    lesson = program.lessons["intro"]
    first, last = lesson_page(program, lesson, 0, 7), lesson_page(program, lesson, 1, 7)
    assert "The first page." in all_text(first) and "The second page." not in all_text(first)
    assert "Step 1 of 2 · Mini program · page 1 of 2 · about 2 min" in all_text(first)
    assert [b.label for b in buttons(first)] == ["Next page"]
    assert "Introduction (continued)" in all_text(last) and "page 2 of 2" in all_text(last)
    assert [b.label for b in buttons(last)] == ["Continue"]
    assert first.key != last.key  # each page is its own message


def test_a_one_page_lesson_has_no_page_count(tmp_path: Path) -> None:
    catalog = load_library(
        write_pool(tmp_path, f"id: final\ntitle: Final\nquestions:\n{question(1)}")
    )
    program = catalog.programs["pool"]
    page = lesson_page(program, program.lessons["intro"], 0, 1)
    assert "Step 1 of 2 · Pool program · about" in all_text(page)
    assert "page 1" not in all_text(page) and [b.label for b in buttons(page)] == ["Continue"]
