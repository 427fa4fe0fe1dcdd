"""Steps of a peer review in Slack, over HTTP: submit in a modal, review from the thread."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import ClientResponse

from bot.content.schema import Portfolio
from tests.channels.slack.driver import SlackDriver, actions_of, text_of
from tests.review.conftest import REVIEW_CHANNEL


async def settle(driver: SlackDriver) -> None:
    """Wait for the request's work after the ack and for peer review's posts."""
    reviews = driver.services.reviews
    assert reviews is not None
    await driver.settle()
    await reviews.drain()
    await reviews.deliver()


def opener(message: dict[str, Any], label: str) -> dict[str, Any]:
    return next(
        e
        for e in actions_of(message)
        if e["action_id"].startswith("mcopen:") and label in e["text"]["text"]
    )


def with_opener(driver: SlackDriver, user: str, label: str) -> dict[str, Any]:
    """The newest DM message offering a form behind `label`."""
    for message in reversed(driver.dms(user)):
        if any(label in e["text"]["text"] for e in actions_of(message) if "text" in e):
            return message
    raise AssertionError(f"no '{label}' in {user}'s DMs")


async def open_and_submit(
    driver: SlackDriver, user: str, message: dict[str, Any], label: str, values: dict[str, Any]
) -> ClientResponse:
    before = len(driver.fake.calls_to("views.open"))
    await driver.click(user, message, opener(message, label))
    view = driver.fake.calls_to("views.open")[before].args["view"]
    response = await driver.submit(user, view, values)
    await settle(driver)
    return response


async def submit_in_modal(driver: SlackDriver, user: str, writeup: str) -> ClientResponse:
    """Answer the portfolio question shown in the DM (the journey's 'Write answer…')."""
    message = with_opener(driver, user, "Write answer")
    return await open_and_submit(driver, user, message, "Write answer", {"answer": writeup})


def parents(driver: SlackDriver, channel: str = REVIEW_CHANNEL) -> list[dict[str, Any]]:
    found = [
        m for (c, _), m in driver.fake.messages.items() if c == channel and not m.get("thread_ts")
    ]
    return sorted(found, key=lambda m: m["ts"])


def replies(driver: SlackDriver, parent: dict[str, Any]) -> list[str]:
    found = [
        m
        for (c, _), m in driver.fake.messages.items()
        if c == parent["channel"] and m.get("thread_ts") == parent["ts"]
    ]
    return [text_of(m) for m in sorted(found, key=lambda m: m["ts"])]


def review_values(
    question: Portfolio, decision: str, level: str = "top", comment: str = ""
) -> dict[str, str]:
    values = {"decision": decision}
    for criterion in question.rubric.criteria:
        ids = [lvl.id for lvl in criterion.levels]
        values[f"lv-{criterion.id}"] = ids[-1] if level == "top" else ids[0]
        if comment:
            values[f"cm-{criterion.id}"] = comment
    return values


async def review(
    driver: SlackDriver, user: str, parent: dict[str, Any], values: dict[str, str]
) -> ClientResponse:
    """Press "Review this" on the thread's parent and send the rubric form."""
    fresh = driver.fake.messages[(parent["channel"], parent["ts"])]
    return await open_and_submit(driver, user, fresh, "Review this", values)


def ephemerals(driver: SlackDriver, user: str) -> list[str]:
    return [
        text_of(call.args)
        for call in driver.fake.calls_to("chat.postEphemeral")
        if call.args.get("user") == user
    ]


def refusal(body: str) -> str:
    """The inline error of a modal kept open (`response_action: errors`), or ''."""
    if not body:
        return ""
    data = json.loads(body)
    return " ".join(data.get("errors", {}).values())


def dm_text(driver: SlackDriver, user: str) -> str:
    return "\n".join(text_of(m) for m in driver.dms(user))
