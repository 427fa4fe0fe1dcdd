"""Over real HTTP: signatures, Slack's retries, double clicks and escaping of learner text."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Attempt, Person, ProcessedEvent
from tests.channels.slack.driver import SlackDriver, actions_of, form, signed_headers, text_of
from tests.channels.slack.learner import question_of, right_button

QUIZ_START = "secure-coding"


async def count(driver: SlackDriver, model: type) -> int:
    async with driver.services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def first_question(driver: SlackDriver, user: str) -> dict:
    """Start secure-coding and page through to the first quiz question."""
    await driver.command(user, f"start {QUIZ_START}")
    for _ in range(30):
        message = driver.last_with_actions(user)
        first = actions_of(message)[0]
        if first["action_id"].startswith("mc:answer"):
            return message
        await driver.click(user, message, first)
    raise AssertionError("no question reached")


async def test_tampered_and_stale_signatures_get_401_and_nothing_happens(
    slack: SlackDriver,
) -> None:
    body = "team_id=T1&user_id=U1&command=%2Flearn&text=start+secure-coding&trigger_id=t1"
    kind = "application/x-www-form-urlencoded"
    assert (await slack.post(body, kind, secret="not-the-secret")).status == 401
    assert (await slack.post(body, kind, age=10 * 60)).status == 401
    tampered = await slack.client.post(
        "/slack/events",
        data=body.replace("secure-coding", "effective-feedback"),
        headers={
            "Content-Type": kind,
            **signed_headers(body),
        },
    )
    assert tampered.status == 401
    await slack.settle()
    assert await count(slack, Person) == 0
    assert await count(slack, ProcessedEvent) == 0
    assert slack.fake.calls == []


async def test_a_retried_event_is_handled_once(slack: SlackDriver) -> None:
    await first_question(slack, "U1")
    before = len(slack.dms("U1"))
    await slack.dm("U1", "a", event_id="EvSame")
    assert await count(slack, Attempt) == 1
    posted = len(slack.dms("U1"))
    assert posted > before
    retried = await slack.dm("U1", "a", event_id="EvSame", retry=1)
    assert retried.status == 200
    again = await slack.dm("U1", "a", event_id="EvSame", retry=2)
    assert again.status == 200
    assert await count(slack, Attempt) == 1
    assert len(slack.dms("U1")) == posted


async def test_a_double_click_is_scored_once_and_told_privately(slack: SlackDriver) -> None:
    question = await first_question(slack, "U1")
    program = slack.catalog.get(QUIZ_START)
    assert program is not None
    asked = question_of(program, actions_of(question)[0])
    assert asked is not None
    button = right_button(asked, actions_of(question))
    payload = slack.click_payload("U1", question, button, trigger="trig-double-1")
    first = await slack.post(form(payload), "application/x-www-form-urlencoded")
    redelivered = await slack.post(form(payload), "application/x-www-form-urlencoded")
    await slack.settle()
    assert first.status == redelivered.status == 200
    assert await count(slack, Attempt) == 1
    second_click = await slack.click("U1", question, button)  # a new click: new trigger id
    assert second_click.status == 200
    assert await count(slack, Attempt) == 1
    assert any("Already recorded" in text_of(m) for m in slack.dms("U1"))
    updated = slack.fake.messages[("DU1", question["ts"])]
    assert "Correct" in text_of(updated)
    assert not actions_of(updated), "the answered question keeps no buttons"


async def test_learner_text_is_echoed_escaped(slack: SlackDriver) -> None:
    hostile = "<!channel> <@U123> <https://evil.example|click> [x](https://evil.example) & co"
    await slack.dm("U1", hostile)
    echoed = [m for m in slack.dms("U1") if "catch" in text_of(m)]
    assert echoed
    text = text_of(echoed[0])
    assert "<!channel>" not in text and "<@U123>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text and "&amp; co" in text
    for message in slack.dms("U1"):
        for block in message["blocks"]:
            assert "<!" not in str(block) and "<@" not in str(block)


async def test_free_text_answers_are_escaped_when_shown_back(slack: SlackDriver) -> None:
    await first_question(slack, "U1")
    await slack.dm("U1", "<!here>")  # not a valid option: the error quotes it
    texts = "\n".join(text_of(m) for m in slack.dms("U1"))
    assert "<!here>" not in texts
    assert "'&lt;!here&gt;' is not one of the options" in texts
