"""Neutral messages → Adaptive Cards 1.5: structure, accessibility, escaping, schema."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.teams.markdown import LIST_BREAK, to_elements
from bot.channels.teams.render import render_card
from bot.content import Catalog
from bot.core.text import escape_markdown
from bot.core.views import Action, Button, Buttons, Code, Divider, Header, Message, Text
from bot.learning import screens
from tests.channels.teams.driver import (
    NO_SCHEMA,
    card_errors,
    card_validator,
    elements,
    executes,
    inputs,
)


def every_screen(catalog: Catalog) -> list[Message]:
    found = [
        screens.help_message(True),
        screens.help_message(False),
        screens.catalog_message(catalog, set()),
        screens.settings_message("Europe/Berlin", "weekdays 09:30", False),
        screens.progress_message([]),
    ]
    for program in catalog:
        for lesson in program.lessons.values():
            found += [screens.lesson_page(program, lesson, p, 7) for p in range(len(lesson.pages))]
        for quiz in program.quizzes.values():
            found += [
                screens.question_message(program, quiz, i, 7, 0) for i in range(len(quiz.questions))
            ]
    return found


def test_every_screen_of_the_bundled_programs_is_a_valid_card(catalog: Catalog) -> None:
    if card_validator() is None:
        pytest.skip(NO_SCHEMA)
    problems = {
        m.fallback: card_errors(render_card(m, notes=("Already recorded.",)))
        for m in every_screen(catalog)
    }
    assert {k: v for k, v in problems.items() if v} == {}
    assert card_errors({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "Bogus"}]})


def test_cards_are_accessible_and_mobile_friendly(catalog: Catalog) -> None:
    for message in every_screen(catalog):
        card = render_card(message)
        assert card["version"] == "1.5" and card["fallbackText"] == message.fallback
        blocks = [e for e in elements(card) if e["type"] == "TextBlock"]
        assert blocks and all(b["wrap"] is True for b in blocks)
        assert blocks[0].get("style") == "heading"
        for field in inputs(card):
            assert field["label"] and "isRequired" in field and field["errorMessage"]
        for action in executes(card):
            assert action["verb"] and action["data"]["microcred"]["name"] == action["verb"]
            assert action["fallback"]["type"] == "Action.Submit"
        rows = [e for e in elements(card) if e["type"] == "ActionSet"]
        assert all(len(row["actions"]) <= 5 for row in rows)


def _question(catalog: Catalog, kind: str) -> dict[str, Any]:
    for program in catalog:
        for quiz in program.quizzes.values():
            for i, q in enumerate(quiz.questions):
                if q.type == kind:
                    return render_card(screens.question_message(program, quiz, i, 3, 1))
    raise AssertionError(kind)


def test_question_types_get_the_right_inputs(catalog: Catalog) -> None:
    single = _question(catalog, "single_choice")
    assert inputs(single) == []
    letters = [a for a in executes(single) if "v" in a["data"]["microcred"]["args"]]
    assert [a["title"] for a in letters][:2] == ["A", "B"]
    assert letters[0]["data"]["microcred"]["args"] == {
        "e": "3",
        "q": letters[0]["data"]["microcred"]["args"]["q"],
        "r": "1",
        "v": letters[0]["data"]["microcred"]["args"]["v"],
    }
    [multi] = inputs(_question(catalog, "multiple_choice"))
    assert multi["type"] == "Input.ChoiceSet" and multi["isMultiSelect"] is True
    assert multi["style"] == "expanded" and multi["isRequired"] is True
    [number] = inputs(_question(catalog, "numeric"))
    assert number["type"] == "Input.Number" and number["id"] == "answer"
    [free] = inputs(_question(catalog, "free_text"))
    assert free["type"] == "Input.Text" and free["isMultiline"] is True and free["maxLength"]
    settings = render_card(screens.settings_message("", "weekdays 09:30", False))
    fields = inputs(settings)
    assert [f["id"] for f in fields] == ["timezone", "cadence"]
    assert [f["isRequired"] for f in fields] == [False, False]  # empty means unchanged
    assert fields[1]["value"] == "weekdays 09:30"


def test_learner_text_is_escaped() -> None:
    typed = "*bold* [click](javascript:alert(1)) <b>x</b>\n- not a list"
    card = render_card(Message((Text(f"You wrote: {escape_markdown(typed)}"),), "echo"))
    text = "\n".join(e["text"] for e in elements(card) if e["type"] == "TextBlock")
    assert "\\*bold\\*" in text and "\\[click\\]" in text
    assert "](javascript" not in text.replace("\\]", "")
    assert "<b>x</b>" in text  # shown as text: cards never render HTML


def test_markdown_subset_conversion() -> None:
    body = to_elements(
        "## Heading\n\nSome **bold** and _italic_ with `code` and a [link](https://example.com).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n```python\nif x:\n    y = 1\n```\n\n"
        "![Badge: Python](https://example.com/b.png)\n\n[bad](javascript:x)"
    )
    texts = [e.get("text", "") for e in body]
    assert body[0]["style"] == "heading"
    assert (
        "**bold**" in texts[1]
        and "_italic_" in texts[1]
        and "[link](https://example.com)" in texts[1]
    )
    assert f"- one{LIST_BREAK}- two" in texts and f"1. first{LIST_BREAK}2. second" in texts
    code = next(e for e in body if e["type"] == "Container")
    assert [i["fontType"] for i in code["items"]] == ["Monospace", "Monospace"]
    assert code["items"][1]["text"] == "\u00a0" * 4 + "y = 1"
    image = next(e for e in body if e["type"] == "Image")
    assert image["altText"] == "Badge: Python"
    assert body[-1]["text"] == "\\[bad\\](javascript:x)"  # not a link: literal text


def test_dividers_notes_and_styles() -> None:
    message = Message(
        (
            Header("Title"),
            Code("print(1)"),
            Divider(),
            Buttons(
                tuple(
                    Button(str(i), Action.of("x", i=i), "primary" if i == 0 else "default")
                    for i in range(7)
                )
            ),
        ),
        "fallback",
    )
    card = render_card(message, notes=("Already recorded.",))
    sets = [e for e in card["body"] if e["type"] == "ActionSet"]
    assert sets[0]["separator"] is True and [len(s["actions"]) for s in sets] == [5, 2]
    assert sets[0]["actions"][0]["style"] == "positive" and "style" not in sets[0]["actions"][1]
    assert card["body"][-1]["text"] == "Already recorded." and card["body"][-1]["separator"]
