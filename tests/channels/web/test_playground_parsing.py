"""Whatever JSON a browser posts, the playground either reads an event or refuses with 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.web.playground import parse_action, parse_text
from bot.core.events import ActionInput, Inbound, TextInput

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
PAYLOADS = st.dictionaries(
    st.sampled_from(["user", "text", "action", "values", "name", "args"]) | st.text(max_size=8),
    JSON,
    max_size=6,
)
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parsed_or_refused(
    parse: Callable[[dict[str, Any]], Inbound], payload: dict[str, Any]
) -> Inbound | None:
    try:
        return parse(payload)
    except web.HTTPBadRequest:
        return None


@BOUNDED
@given(PAYLOADS)
def test_any_text_payload_is_read_or_refused(payload: dict[str, Any]) -> None:
    inbound = _parsed_or_refused(parse_text, payload)
    if inbound is not None:
        assert isinstance(inbound.input, TextInput)
        assert inbound.actor.identity == f"local:{inbound.actor.user_id}"
        assert isinstance(payload["user"], str)


@BOUNDED
@given(PAYLOADS)
def test_any_action_payload_is_read_or_refused(payload: dict[str, Any]) -> None:
    inbound = _parsed_or_refused(parse_action, payload)
    if inbound is not None:
        assert isinstance(inbound.input, ActionInput)
        assert all(isinstance(v, str | list) for v in inbound.input.values.values())


@pytest.mark.parametrize("user", [["Ann"], {"n": 1}, 7, None, "", "x" * 41, "<script>"])
def test_a_learner_name_that_is_not_a_plain_name_is_refused(user: object) -> None:
    with pytest.raises(web.HTTPBadRequest):
        parse_text({"user": user, "text": "help"})
