"""A learner who takes a whole program in Slack: buttons, checkboxes and modals, answered well."""

from __future__ import annotations

from typing import Any

from bot.assessment.responses import option_letter
from bot.content import Program
from bot.content.schema import MultipleChoice, Question, SingleChoice, TrueFalse
from tests.channels.slack.driver import SlackDriver, actions_of, args_of, text_of
from tests.driver import correct_answer

DONE = ("Program complete", "Every step done")


def question_of(program: Program, element: dict[str, Any]) -> Question | None:
    quiz_id, _, question_id = args_of(element).get("q", "").partition("/")
    return program.question(quiz_id, question_id) if quiz_id else None


def right_button(question: Question, buttons: list[dict[str, Any]]) -> dict[str, Any]:
    if isinstance(question, TrueFalse):
        wanted = "true" if question.answer else "false"
    else:
        assert isinstance(question, SingleChoice)
        wanted = next(o.id for o in question.options if o.correct)
    return next(b for b in buttons if args_of(b).get("v") == wanted)


def checkbox_state(question: MultipleChoice) -> dict[str, Any]:
    picked = [{"value": o.id} for o in question.options if o.correct]
    entry = {"type": "checkboxes", "selected_options": picked}
    return {"mcf:answer": {"mcf:answer": entry}}


async def answer_in_modal(
    driver: SlackDriver,
    user: str,
    message: dict[str, Any],
    opener: dict[str, Any],
    question: Question | None,
) -> None:
    before = len(driver.fake.calls_to("views.open"))
    await driver.click(user, message, opener)
    view = driver.fake.calls_to("views.open")[before].args["view"]
    if question is None:  # the settings form
        values = {"timezone": "Europe/Paris", "cadence": "weekdays 10:00"}
    else:
        values = {"answer": correct_answer(question)}
    response = await driver.submit(user, view, values)
    assert response.status == 200, await response.text()
    assert not (await response.text()), "the modal was refused"


async def take_program(driver: SlackDriver, user: str, program: Program, limit: int = 400) -> int:
    """From `/learn start` to the end; returns the number of clicks."""
    response = await driver.command(user, f"start {program.id}")
    assert response.status == 200
    clicks = 0
    while clicks < limit:
        last = driver.dms(user)[-1]
        if any(done in text_of(last) for done in DONE):
            return clicks
        message = driver.last_with_actions(user)
        elements = actions_of(message)
        first = elements[0]
        clicks += 1
        if first["action_id"].startswith("mcopen:"):
            opener_form = first["value"]
            question = None if '"settings"' in opener_form else _question_in_form(program, first)
            await answer_in_modal(driver, user, message, first, question)
            continue
        question = question_of(program, first)
        if isinstance(question, MultipleChoice):
            await driver.click(user, message, first, values=checkbox_state(question))
        elif question is not None:
            await driver.click(user, message, right_button(question, elements))
        else:
            await driver.click(user, message, first)
    raise AssertionError(f"{program.id} not finished after {limit} clicks")


def _question_in_form(program: Program, opener: dict[str, Any]) -> Question | None:
    import json

    packed = json.loads(opener["value"])["a"]
    args = dict(tuple(pair) for pair in packed[1])
    quiz_id, _, question_id = args.get("q", "").partition("/")
    return program.question(quiz_id, question_id)


def letters(question: MultipleChoice) -> str:
    return ", ".join(option_letter(i) for i, o in enumerate(question.options) if o.correct)
