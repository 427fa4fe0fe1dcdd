"""Turn what a learner typed or picked into a response for one question type."""

from __future__ import annotations

import re
import string
from typing import Any

from bot.assessment.units import UnitError, parse_quantity
from bot.content.schema import (
    FreeText,
    MultipleChoice,
    Numeric,
    Portfolio,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from bot.core.copy import t, tn
from bot.core.errors import BadRequest
from bot.core.text import escape_markdown, shorten

LETTERS = string.ascii_uppercase
_TRUE = {"true", "t", "yes", "y", "1", "right", "correct"}
_FALSE = {"false", "f", "no", "n", "0", "wrong", "incorrect"}


def option_letter(index: int) -> str:
    return LETTERS[index]


def _option_id(question: SingleChoice | MultipleChoice, token: str, by_id: bool) -> str:
    """The option a token names: its id (buttons and forms send ids), else the letter or
    number it is shown under, as typed (options are shuffled, so letters and ids differ)."""
    token = token.strip().strip(".)").lower()
    ids = [o.id for o in question.options]
    if by_id and token in ids:
        return token
    for i, option in enumerate(question.options):
        if token in (option_letter(i).lower(), str(i + 1)):
            return option.id
    if len(token) > 1 and token in ids:
        return token
    letters = ", ".join(option_letter(i) for i in range(len(question.options)))
    shown = escape_markdown(shorten(token, 40))
    raise BadRequest(t("answer_input.not_an_option", answer=shown, letters=letters))


def parse_response(question: Question, raw: str | list[str], *, by_id: bool = False) -> Any:
    """The response to store for `question`; BadRequest explains what to send instead.

    `by_id`: choices name option ids (a button or form), not the letters a person types.
    """
    if isinstance(raw, list):
        values = [v for v in raw if v.strip()]
        text = ",".join(values)
    else:
        text = raw.strip()
        values = [v for v in re.split(r"[,\s]+", text) if v]
    if not text:
        raise BadRequest(t("answer_input.empty"))
    if isinstance(question, SingleChoice):
        if len(values) != 1:
            raise BadRequest(t("answer_input.one_option"))
        return _option_id(question, values[0], by_id)
    if isinstance(question, MultipleChoice):
        return sorted({_option_id(question, v, by_id) for v in values})
    if isinstance(question, TrueFalse):
        word = text.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise BadRequest(t("answer_input.true_or_false"))
    if isinstance(question, Numeric):
        try:
            return parse_quantity(text, question.unit)
        except UnitError as exc:
            shown = escape_markdown(shorten(str(exc), 40))
            if question.unit:
                refusal = t("answer_input.cannot_convert", unit=shown, wanted=question.unit)
            else:
                refusal = t("answer_input.cannot_convert_unitless", unit=shown)
            raise BadRequest(refusal) from None
        except ValueError:
            shown = escape_markdown(shorten(text, 40))
            if question.unit:
                refusal = t("answer_input.not_a_number_in", answer=shown, wanted=question.unit)
            else:
                refusal = t("answer_input.not_a_number", answer=shown)
            raise BadRequest(refusal) from None
    if isinstance(question, ShortAnswer):
        return text[:500]
    if isinstance(question, FreeText | Portfolio):
        minimum = getattr(question, "min_length", 1)
        if len(text) > question.max_length:
            raise BadRequest(tn("answer_input.too_long", len(text), limit=question.max_length))
        if len(text) < minimum:
            raise BadRequest(tn("answer_input.too_short", minimum))
        return text
    raise BadRequest(t("answer_input.not_here"))
