"""Render neutral messages as Adaptive Cards 1.5 (pure functions, no SDK)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from bot.channels.teams.markdown import Element, code_block, escape, text_block, to_elements
from bot.channels.teams.markdown import to_inline_text as inline_text
from bot.core.views import (
    Action,
    Button,
    Buttons,
    ChoiceField,
    Code,
    Context,
    DateLine,
    Divider,
    Form,
    Header,
    Image,
    Message,
    Text,
    TextField,
)

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
DATA_KEY = "microcred"
"""Where our Action travels inside an Action.Execute's `data` (inputs sit beside it)."""
ACTIONS_PER_ROW = 5
_STYLES = {"primary": "positive", "danger": "destructive"}


def action_data(action: Action) -> dict[str, Any]:
    """The `data` of an Action.Execute / Action.Submit that carries `action`."""
    return {DATA_KEY: {"name": action.name, "args": dict(action.args)}}


def _action(button: Button) -> Element:
    data = action_data(button.action)
    element: Element = {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.action.name,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": button.label, "data": data},
    }
    if style := _STYLES.get(button.style):
        element["style"] = style
    return element


def _action_sets(buttons: Sequence[Button]) -> list[Element]:
    rows = [buttons[i : i + ACTIONS_PER_ROW] for i in range(0, len(buttons), ACTIONS_PER_ROW)]
    return [{"type": "ActionSet", "actions": [_action(b) for b in row]} for row in rows]


def _choice_input(field: ChoiceField, required: bool) -> Element:
    element: Element = {
        "type": "Input.ChoiceSet",
        "id": field.name,
        "label": field.label,
        "style": "expanded",
        "isMultiSelect": field.multiple,
        "wrap": True,
        "choices": [{"title": o.label, "value": o.value} for o in field.options],
        "isRequired": required,
        "errorMessage": "Pick at least one answer." if field.multiple else "Pick an answer.",
    }
    if field.initial:
        element["value"] = ",".join(field.initial)
    return element


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _text_input(field: TextField, required: bool) -> Element:
    element: Element = {"id": field.name, "label": field.label, "isRequired": required}
    if field.placeholder:
        element["placeholder"] = field.placeholder
    if field.numeric:
        element.update(type="Input.Number", errorMessage="Enter a number.")
        if field.initial and (value := _number(field.initial)) is not None:
            element["value"] = value
        return element
    element.update(
        type="Input.Text",
        isMultiline=field.multiline,
        maxLength=field.max_length,
        errorMessage="Please fill this in." if required else "This value is not valid.",
    )
    if field.min_length > 1:
        element["regex"] = f"^[\\s\\S]{{{field.min_length},}}$"
        element["errorMessage"] = f"Write at least {field.min_length} characters."
    if field.initial:
        element["value"] = field.initial
    return element


def _form(form: Form) -> list[Element]:
    required = len(form.fields) == 1
    elements: list[Element] = [text_block(escape(form.title), weight="Bolder")]
    if form.intro:
        elements.append(text_block(escape(form.intro)))
    for field in form.fields:
        if isinstance(field, ChoiceField):
            elements.append(_choice_input(field, required))
        else:
            elements.append(_text_input(field, required and field.required))
    if form.opener:  # the inputs open under the button, for the person who clicked it
        card = {"type": "AdaptiveCard", "body": elements, "actions": [_action(form.submit)]}
        opener = {"type": "Action.ShowCard", "title": form.opener, "card": card}
        return [{"type": "ActionSet", "actions": [opener]}]
    elements.extend(_action_sets((form.submit,)))
    return elements


def _inline_kept(text: str) -> str:
    """Inline text with the spaces at its ends kept (they sit next to a date token)."""
    if not text.strip():
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead and ' '}{inline_text(text.strip())}{trail and ' '}"


def _date_line(line: DateLine) -> Element:
    """A date each reader sees in their own time zone ({{DATE()}} / {{TIME()}} tokens)."""
    iso = line.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    before, _, after = line.text.partition("{date}")
    token = f"{{{{DATE({iso},SHORT)}}}} {{{{TIME({iso})}}}}"
    text = f"{_inline_kept(before)}{token}{_inline_kept(after)}"
    return text_block(text, size="Small", isSubtle=True)


def _block(block: object) -> list[Element]:
    if isinstance(block, Header):
        return [text_block(escape(block.text), style="heading", size="Large", weight="Bolder")]
    if isinstance(block, Text):
        return to_elements(block.markdown)
    if isinstance(block, Code):
        return [code_block(block.source)]
    if isinstance(block, Context):
        return [text_block(inline_text(block.text), size="Small", isSubtle=True)]
    if isinstance(block, DateLine):
        return [_date_line(block)]
    if isinstance(block, Image):
        return [{"type": "Image", "url": block.url, "altText": block.alt, "size": "Stretch"}]
    if isinstance(block, Buttons):
        return _action_sets(block.buttons)
    if isinstance(block, Form):
        return _form(block)
    return []


def render_card(message: Message, *, notes: Sequence[str] = ()) -> dict[str, Any]:
    """One message as an Adaptive Card; `notes` (private remarks) follow it, set apart."""
    body: list[Element] = []
    separate = False
    for block in message.blocks:
        if isinstance(block, Divider):
            separate = True
            continue
        elements = _block(block)
        if elements and separate:
            elements[0]["separator"] = True
            separate = False
        body.extend(elements)
    for i, note in enumerate(notes):
        elements = to_elements(note)
        if elements and i == 0:
            elements[0]["separator"] = True
        body.extend(elements)
    if not body:
        body.append(text_block(escape(message.fallback)))
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "fallbackText": message.fallback,
        "msteams": {"width": "Full"},
    }


def note_card(text: str) -> dict[str, Any]:
    """A small card holding one remark (Teams has no ephemeral messages)."""
    return render_card(Message((Text(text),), text))
