"""A shared template is rendered once; every learner's payload is exactly their own render."""

from __future__ import annotations

from bot.channels.slack.render import render_message
from bot.channels.slack.rendered import RenderedTemplates
from bot.core.views import Message, Text
from tests.core.test_templates import lesson


def test_two_learners_get_their_own_render_from_one_template() -> None:
    rendered = RenderedTemplates()
    for enrollment in (7, 1234567, 7):
        message = lesson(enrollment)
        assert rendered.render(message) == render_message(message)
    assert len(rendered.known) == 1 and next(iter(rendered.known.values()))


def test_a_message_near_the_limits_is_rendered_on_every_send() -> None:
    rendered = RenderedTemplates()
    message = lesson(7, text="word " * 1500)  # more than half a message's characters
    assert rendered.render(message) == render_message(message)
    assert list(rendered.known.values()) == [""]  # known as not shared
    assert rendered.render(lesson(8, text="word " * 1500)) == render_message(
        lesson(8, text="word " * 1500)
    )


def test_a_message_with_the_slot_in_its_text_is_not_filled_there() -> None:
    rendered = RenderedTemplates()
    message = lesson(7, text="mcSHAREDx7q is a funny word")
    assert rendered.render(message) == render_message(message)
    assert rendered.render(lesson(9, text="mcSHAREDx7q is a funny word")) == render_message(
        lesson(9, text="mcSHAREDx7q is a funny word")
    )


def test_a_message_without_buttons_is_rendered_once() -> None:
    rendered = RenderedTemplates()
    message = Message((Text("Hello *there*"),), "Hello")
    assert rendered.render(message) == rendered.render(message) == render_message(message)
    assert len(rendered.known) == 1
