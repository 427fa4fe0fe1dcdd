"""Every render function against slack_sdk's block models and the Block Kit limits."""

from __future__ import annotations

import itertools
import json

import pytest

from bot.channels.slack import limits
from bot.channels.slack.actions import (
    TooLong,
    action_value,
    decode_action,
    pack_form,
    unpack_form,
)
from bot.channels.slack.modals import ModalSource, errors_response, modal_view, state_values
from bot.channels.slack.render import (
    blocks_of,
    button_element,
    code_blocks,
    context_block,
    form_blocks,
    header_block,
    home_view,
    image_block,
    input_block,
    render_message,
    section_blocks,
    split_blocks,
    text_blocks,
)
from bot.content import Catalog
from bot.core.views import (
    Action,
    Button,
    Buttons,
    ChoiceField,
    Code,
    Context,
    Divider,
    Form,
    Header,
    Image,
    Option,
    Text,
    TextField,
    message,
)
from bot.learning import screens
from tests.channels.slack.blockkit import (
    assert_valid_blocks,
    assert_valid_message,
    assert_valid_view,
)

ANSWER = Action.of("answer", e=1, q="quiz/q1", r=0)


def test_header_is_cut_to_150() -> None:
    block = header_block("H" * 400)
    assert len(block["text"]["text"]) == limits.HEADER_TEXT
    assert_valid_blocks([block])


def test_sections_split_at_3000() -> None:
    blocks = section_blocks(("word " * 1000).strip())
    assert len(blocks) == 2
    assert all(len(b["text"]["text"]) <= limits.SECTION_TEXT for b in blocks)
    assert_valid_blocks(blocks)


def test_context_image_and_divider() -> None:
    blocks = [
        context_block("Question 1 of 5 · `next` to go on " + "x" * 4000),
        image_block("https://img.example/badge.png", "Badge: Secure Coding, issued by Acme"),
        image_block("https://img.example/x.png", ""),
        {"type": "divider"},
    ]
    assert len(blocks[0]["elements"][0]["text"]) <= limits.SECTION_TEXT
    assert blocks[2]["alt_text"] == "Image"
    assert_valid_blocks(blocks)


def test_text_with_an_image_renders_an_image_block() -> None:
    blocks = text_blocks("Look:\n\n![The OWASP logo](https://img.example/owasp.png)\n\nDone.")
    assert [b["type"] for b in blocks] == ["section", "image", "section"]
    assert_valid_blocks(blocks)


def test_code_is_fenced_and_split() -> None:
    blocks = code_blocks(Code("print('<@U1>')\n" * 400, "python"))
    assert len(blocks) > 1
    for block in blocks:
        text = block["text"]["text"]
        assert text.startswith("```\n") and text.endswith("\n```")
        assert len(text) <= limits.SECTION_TEXT and "<@U1>" not in text
    assert_valid_blocks(blocks)


def test_buttons_carry_their_action_within_limits() -> None:
    button = Button("B" * 100, Action.of("answer", e=7, q="quiz/q9", r=2, v="c"), "primary")
    element = button_element(button, 3)
    assert len(element["text"]["text"]) == limits.BUTTON_TEXT
    assert element["action_id"] == "mc:answer:3" and element["style"] == "primary"
    assert decode_action(element["action_id"], element["value"]) == button.action
    assert "style" not in button_element(Button("Plain", Action.of("next")), 0)
    letter = button_element(Button("A", ANSWER), 0)
    assert letter["accessibility_label"] == "Choose A"
    assert_valid_blocks([{"type": "actions", "elements": [element, letter]}])


def test_too_long_action_arguments_are_refused() -> None:
    with pytest.raises(TooLong):
        action_value(Action.of("x", blob="y" * 3000))


def test_more_than_25_buttons_make_several_action_blocks() -> None:
    many = Buttons(tuple(Button(f"B{i}", Action.of("pick", n=i)) for i in range(30)))
    blocks = blocks_of(message(many, fallback="many"))
    assert [len(b["elements"]) for b in blocks] == [25, 5]
    ids = [e["action_id"] for b in blocks for e in b["elements"]]
    assert len(set(ids)) == 30
    assert_valid_blocks(blocks)


def test_a_choice_form_is_inline_checkboxes_and_a_submit_button() -> None:
    field = ChoiceField(
        "answer", "Pick all", tuple(Option(c, f"{c.upper()}. " + "o" * 90) for c in "abcd"), True
    )
    blocks = form_blocks(Form("Your answer", (field,), Button("Submit", ANSWER)), itertools.count())
    assert [b["type"] for b in blocks] == ["input", "actions"]
    assert blocks[0]["element"]["type"] == "checkboxes"
    assert all(
        len(o["text"]["text"]) <= limits.OPTION_TEXT for o in blocks[0]["element"]["options"]
    )
    assert_valid_blocks(blocks)
    radio = input_block(
        ChoiceField("answer", "One", (Option("a", "A"), Option("b", "B")), initial=("b",))
    )
    assert radio["element"]["type"] == "radio_buttons"
    assert radio["element"]["initial_option"]["value"] == "b"
    assert_valid_blocks([radio])


def test_a_text_form_opens_a_modal_from_a_labelled_button() -> None:
    field = TextField("answer", "Your answer", multiline=True, min_length=20, max_length=5000)
    form = Form("Your answer", (field,), Button("Submit answer", ANSWER, "primary"))
    blocks = form_blocks(form, itertools.count())
    opener = blocks[-1]["elements"][0]
    assert opener["text"]["text"] == "Write answer…" and opener["action_id"].startswith("mcopen:")
    assert len(opener["value"]) <= limits.BUTTON_VALUE
    assert unpack_form(opener["value"]) == form
    assert_valid_blocks(blocks)


def test_the_modal_repeats_the_prompt_and_validates(catalog: Catalog) -> None:
    field = TextField("answer", "Your answer", True, min_length=5, max_length=9000)
    numeric = TextField("n", "In ms", numeric=True, initial="12")
    form = Form(
        "A very long title that will not fit",
        (field, numeric),
        Button("Send it now please", ANSWER),
    )
    shown = [
        header_block("Quiz"),
        *section_blocks("The prompt"),
        context_block("Scored against: x"),
    ]
    source = ModalSource(ANSWER, "D1", "1700000000.000001")
    view = modal_view(form, source, shown)
    assert [b["type"] for b in view["blocks"]] == ["section", "context", "input", "input"]
    assert view["blocks"][2]["element"]["max_length"] == limits.INPUT_LENGTH
    assert view["blocks"][3]["element"]["type"] == "number_input"
    assert len(view["title"]["text"]) <= limits.VIEW_TITLE
    assert ModalSource.unpack(view["private_metadata"]) == source
    assert_valid_view(view)
    refused = errors_response(view, "'**abc**' is not a number.")
    assert refused == {
        "response_action": "errors",
        "errors": {"mcf:answer": "'abc' is not a number."},
    }


def test_state_values_reads_every_input_kind() -> None:
    values = state_values(
        {
            "mcf:answer": {
                "mcf:answer": {"type": "checkboxes", "selected_options": [{"value": "a"}]}
            },
            "mcf:one": {"mcf:one": {"type": "radio_buttons", "selected_option": {"value": "b"}}},
            "mcf:text": {"mcf:text": {"type": "plain_text_input", "value": "hi"}},
            "mcf:empty": {"mcf:empty": {"type": "plain_text_input", "value": None}},
            "other": {"x": {"type": "plain_text_input", "value": "ignored"}},
        }
    )
    assert values == {"answer": ["a"], "one": ["b"], "text": "hi", "empty": ""}


def test_big_messages_split_within_50_blocks_and_the_size_limit() -> None:
    blocks = [Text(f"Paragraph {i} " + "x" * 200) for i in range(120)]
    payloads = render_message(message(Header("Big"), *blocks, Divider(), fallback="Big one"))
    assert len(payloads) > 2
    for payload in payloads:
        assert payload["text"] and len(payload["blocks"]) <= limits.MESSAGE_BLOCKS
        assert len(json.dumps(payload["blocks"])) <= limits.MESSAGE_CHARS
        assert_valid_message(payload)
    assert split_blocks([], 50, 100) == [[]]


def test_fallback_text_is_escaped_mrkdwn() -> None:
    payload = render_message(message(Text("hi"), fallback="<!channel> **now**"))[0]
    assert payload["text"] == "&lt;!channel&gt; *now*"


def test_every_bundled_screen_renders_valid_block_kit(catalog: Catalog) -> None:
    rendered = 0
    for program in catalog:
        for step in program.steps:
            if step.kind == "lesson":
                lesson = program.lessons[step.id]
                shown = [
                    screens.lesson_page(program, lesson, p, 1) for p in range(len(lesson.pages))
                ]
            else:
                quiz = program.quizzes[step.id]
                shown = [
                    screens.question_message(program, quiz, i, 1, 0)
                    for i in range(len(quiz.questions))
                ]
            for screen in shown:
                for payload in render_message(screen):
                    assert_valid_message(payload)
                    rendered += 1
    assert rendered > 40
    assert_valid_message(render_message(screens.catalog_message(catalog, set()))[0])
    assert_valid_message(render_message(screens.settings_message("", "weekdays 09:30", False))[0])


def test_home_view_stays_within_100_blocks() -> None:
    busy = message(*[Text(f"row {i}") for i in range(150)], fallback="busy")
    view = home_view([message(Header("Next up"), fallback="x"), busy])
    assert view["type"] == "home" and len(view["blocks"]) == limits.SURFACE_BLOCKS
    assert_valid_view(view)


def test_all_block_kinds_in_one_message() -> None:
    msg = message(
        Header("All"),
        Text("**t**"),
        Code("x = 1"),
        Context("c"),
        Image("https://img.example/a.png", "alt"),
        Divider(),
        Buttons((Button("Go", Action.of("next")),)),
        fallback="all",
    )
    kinds = [b["type"] for b in render_message(msg)[0]["blocks"]]
    assert kinds == ["header", "section", "section", "context", "image", "divider", "actions"]
    assert_valid_message(render_message(msg)[0])
    assert pack_form(Form("F", (TextField("a", "A"),), Button("S", ANSWER)))
