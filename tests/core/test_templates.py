"""Templates of shared messages: the enrollment id out and back in, nothing else touched."""

from __future__ import annotations

from bot.core.templates import SLOT, enrollment_in, fill, template_of
from bot.core.views import Action, Button, Buttons, Form, Message, Text, TextField
from bot.learning.actions import ANSWER, PAGE, START, AnswerArgs, PageArgs, ProgramArgs


def lesson(enrollment: int, text: str = "Page 1") -> Message:
    page = PAGE(PageArgs(enrollment=enrollment, step="lesson:intro", page=1))
    start = START(ProgramArgs(program="mini"))
    form = Form(
        "Your answer",
        (TextField("answer", "Answer"),),
        Button("Send", ANSWER(AnswerArgs(enrollment=enrollment, question="quiz/q1"))),
    )
    buttons = Buttons((Button("Next page", page, "primary"), Button("Start", start)))
    return Message((Text(text), buttons, form), text, f"{enrollment}:lesson:intro:0")


def test_two_learners_share_one_template_and_get_their_own_message_back() -> None:
    seven, twelve = lesson(7), lesson(1234567)
    template = template_of(seven, "7")
    assert template is not None and template == template_of(twelve, "1234567")
    assert fill(template, "7") == seven and fill(template, "1234567") == twelve
    assert enrollment_in(seven) == "7" and enrollment_in(template) == SLOT


def test_text_that_looks_like_the_id_is_left_alone() -> None:
    message = lesson(7, text="Chapter 7: 7 tips")
    template = template_of(message, "7")
    assert template is not None and template.blocks[0] == Text("Chapter 7: 7 tips")
    assert fill(template, "7") == message


def test_a_message_already_holding_the_slot_is_not_templated() -> None:
    odd = Action("page", (("e", SLOT),))
    message = Message(
        (Buttons((Button("Odd", odd), Button("Own", Action("page", (("e", "7"),))))),), "x"
    )
    assert template_of(message, "7") is None
    assert enrollment_in(message) is None  # two different ids: not one learner's


def test_a_message_without_the_id_is_its_own_template() -> None:
    message = Message((Text("Hello"),), "Hello")
    assert template_of(message, "7") == message and enrollment_in(message) is None
