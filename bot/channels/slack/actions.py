"""Neutral actions and forms carried in Block Kit ids and values, within their limits."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.channels.slack import limits
from bot.core.views import Action, Button, ChoiceField, Field, Form, Option, TextField

ACTION_PREFIX = "mc:"
"""action_id of a button that carries an Action: `mc:<name>:<n>`, args in the value."""
OPEN_PREFIX = "mcopen:"
"""action_id of a button that opens a form in a modal; the form is in the value."""
FIELD_PREFIX = "mcf:"
"""block_id and action_id of an input: `mcf:<field name>`."""
FORM_CALLBACK = "mc:form"


class TooLong(ValueError):
    """An action or form does not fit the Block Kit limit it must travel in."""


def action_id(action: Action, index: int) -> str:
    value = f"{ACTION_PREFIX}{action.name}:{index}"
    if len(value) > limits.ACTION_ID:
        raise TooLong(f"action name too long: {action.name[:40]}…")
    return value


def action_value(action: Action) -> str:
    value = urlencode(action.args)
    if len(value) > limits.BUTTON_VALUE:
        raise TooLong(f"arguments of '{action.name}' take {len(value)} characters")
    return value


def decode_action(action_id: str, value: str | None) -> Action:
    """The Action behind a button's action_id and value (unknown ids give name '')."""
    if not action_id.startswith(ACTION_PREFIX):
        return Action("")
    name = action_id[len(ACTION_PREFIX) :].rsplit(":", 1)[0]
    return Action(name, tuple(parse_qsl(value or "", keep_blank_values=True)))


def pack_action(action: Action) -> list[Any]:
    return [action.name, [list(pair) for pair in action.args]]


def unpack_action(packed: Any) -> Action:
    name, args = packed
    return Action(str(name), tuple((str(k), str(v)) for k, v in args))


def _field(field: Field, *, lean: bool) -> dict[str, Any]:
    if isinstance(field, ChoiceField):
        return {
            "c": 1,
            "n": field.name,
            "l": field.label,
            "o": [[o.value, o.label] for o in field.options],
            "m": field.multiple,
            "i": list(field.initial),
        }
    out: dict[str, Any] = {"n": field.name, "l": field.label, "max": field.max_length}
    if field.multiline:
        out["ml"] = 1
    if field.numeric:
        out["num"] = 1
    if field.min_length:
        out["min"] = field.min_length
    if not field.required:
        out["opt"] = 1
    if field.placeholder and not lean:
        out["p"] = field.placeholder
    if field.initial and not lean:
        out["i"] = field.initial
    return out


def pack_form(form: Form) -> str:
    """A form as the value of its opener button (at most 2,000 characters)."""
    for lean in (False, True):
        data = {
            "t": form.title,
            "s": form.submit.label,
            "a": pack_action(form.submit.action),
            "f": [_field(f, lean=lean) for f in form.fields],
        }
        if form.intro and not lean:
            data["x"] = form.intro
        value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(value) <= limits.BUTTON_VALUE:
            return value
    raise TooLong(f"the form '{form.title}' does not fit in a button value")


def _unfield(data: dict[str, Any]) -> Field:
    if data.get("c"):
        options = tuple(Option(str(v), str(label)) for v, label in data["o"])
        initial = tuple(str(v) for v in data.get("i", ()))
        return ChoiceField(data["n"], data["l"], options, bool(data.get("m")), initial)
    return TextField(
        str(data["n"]),
        str(data["l"]),
        multiline=bool(data.get("ml")),
        numeric=bool(data.get("num")),
        min_length=int(data.get("min", 0)),
        max_length=int(data.get("max", 2000)),
        placeholder=str(data.get("p", "")),
        initial=str(data.get("i", "")),
        required=not data.get("opt"),
    )


def unpack_form(value: str) -> Form:
    """The form an opener button carried; ValueError when the value is not one."""
    try:
        data = json.loads(value)
        submit = Button(str(data["s"]), unpack_action(data["a"]), "primary")
        fields = tuple(_unfield(f) for f in data["f"])
        return Form(str(data["t"]), fields, submit, str(data.get("x", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a form: {exc}") from exc
