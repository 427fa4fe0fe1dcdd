"""Property: any JSON-like Teams activity translates or raises BadActivity, nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.teams.translate import (
    BadActivity,
    action_input,
    address_of,
    inbound_of,
    install_of,
    kind_of,
    parse_activity,
)

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "type", "id", "serviceUrl", "channelId", "from", "recipient", "conversation", "channelData",
    "text", "value", "name", "entities", "membersAdded", "membersRemoved", "action", "locale",
    "localTimezone", "replyToId", "tenant", "tenantId", "aadObjectId", "conversationType",
    "microcred", "args", "data", "channel",
]  # fmt: skip
TYPES = st.sampled_from(["message", "invoke", "installationUpdate", "conversationUpdate"])


def shaped(depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    values = json_values if depth == 0 else json_values | shaped(depth - 1)
    return st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


def activities() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly well-typed activities with random parts, plus arbitrary objects."""
    base = st.fixed_dictionaries(
        {
            "type": TYPES,
            "serviceUrl": st.just("http://127.0.0.1:9/"),
            "conversation": st.fixed_dictionaries({"id": st.text(min_size=1, max_size=8)}),
        },
        optional={
            k: json_values | shaped(1)
            for k in KEYS
            if k not in ("type", "serviceUrl", "conversation")
        },
    )
    return base | shaped()


@BOUNDED
@given(activities())
def test_activities_translate_or_raise_bad_activity(body: dict[str, Any]) -> None:
    try:
        activity = parse_activity(body)
    except BadActivity:
        return
    inbound_of(activity)
    install_of(activity)
    address_of(activity)
    kind_of(activity)


@BOUNDED
@given(json_values | shaped())
def test_card_data_is_an_action_or_a_problem(data: Any) -> None:
    action_input(data)
