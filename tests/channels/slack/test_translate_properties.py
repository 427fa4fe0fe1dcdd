"""Property: any JSON-like Slack payload translates or raises BadPayload, nothing else."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

from bot.channels.slack import guard, translate
from bot.channels.slack.payloads import BadPayload

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
ids = st.sampled_from(["T1", "U1", "E1", "W2", "x", "", "T1\n", "u1"]) | scalars
json_values = st.recursive(
    scalars | ids,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "type",
    "team_id",
    "team",
    "user",
    "user_id",
    "text",
    "channel",
    "channel_id",
    "event",
    "actions",
    "view",
    "state",
    "container",
    "message",
    "enterprise",
    "trigger_id",
    "private_metadata",
    "values",
    "id",
    "action_id",
    "value",
    "tab",
    "subtype",
    "channel_type",
    "files",
    "blocks",
    "response_url",
    "event_id",
    "command",
    "selected_options",
]


def shaped(depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    values = json_values if depth == 0 else json_values | shaped(depth - 1)
    return st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


payloads = shaped()


def translates_or_refuses(call: Any) -> None:
    with contextlib.suppress(BadPayload):
        call()


@BOUNDED
@given(payloads)
def test_commands_actions_and_submissions(body: dict[str, Any]) -> None:
    translates_or_refuses(lambda: translate.from_command(body))
    translates_or_refuses(lambda: translate.from_action(body))
    translates_or_refuses(lambda: translate.from_submission(body))
    translates_or_refuses(lambda: translate.team_of(body))


@BOUNDED
@given(payloads, payloads)
def test_events(event: dict[str, Any], envelope: dict[str, Any]) -> None:
    translates_or_refuses(lambda: translate.from_message(event, envelope))
    translates_or_refuses(lambda: translate.from_home_opened(event, envelope))


@BOUNDED
@given(payloads)
def test_what_the_guard_passes_bolt_can_read(body: dict[str, Any]) -> None:
    """A body `guard.check` accepts never crashes Bolt's own context extraction."""
    try:
        guard.check(body)
    except BadPayload:
        return
    build_context(BoltContext(), body)


@BOUNDED
@given(st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_any_bytes_parse_or_refuse(raw: bytes) -> None:
    for kind in ("application/json", "application/x-www-form-urlencoded", None):
        translates_or_refuses(lambda: guard.parse(raw, kind))  # noqa: B023


@BOUNDED
@given(st.text(max_size=8).map(lambda s: "payload=" + s) | st.just("payload=%7B%7D"))
def test_form_payloads_parse_or_refuse(raw: str) -> None:
    translates_or_refuses(lambda: guard.parse(raw.encode(), "application/x-www-form-urlencoded"))
