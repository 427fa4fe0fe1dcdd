"""The App Home tab: published on open, refreshed after progress, and its buttons work."""

from __future__ import annotations

from tests.channels.slack.driver import SlackDriver, form, text_of


def home_text(view: dict) -> str:
    return text_of({"blocks": view["blocks"]})


async def open_home(driver: SlackDriver, user: str) -> dict:
    before = len(driver.fake.calls_to("views.publish"))
    response = await driver.event(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": f"D{user}",
            "tab": "home",
            "event_ts": "1.0",
        }
    )
    assert response.status == 200
    calls = driver.fake.calls_to("views.publish")
    assert len(calls) == before + 1 and calls[-1].args["user_id"] == user
    return dict(calls[-1].args["view"])


async def test_home_for_a_newcomer_says_what_to_do(slack: SlackDriver) -> None:
    view = await open_home(slack, "U1")
    text = home_text(view)
    assert view["type"] == "home"
    assert "No lessons yet" in text and "Browse programs" in str(view) and "Settings" in text
    assert "Europe/Berlin" in text, "the time zone came from users.info"


async def test_home_shows_next_up_and_is_refreshed_after_progress(slack: SlackDriver) -> None:
    await open_home(slack, "U1")
    await slack.command("U1", "start effective-feedback")
    view = slack.fake.calls_to("views.publish")[-1].args["view"]
    text = home_text(view)
    assert "Giving effective feedback" in text or "feedback" in text.lower()
    assert "Lesson:" in text and "0 of" in text
    continue_button = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Continue"
    )
    posted = len(slack.dms("U1"))
    home_message = {"channel": "", "ts": "", "text": "", "blocks": view["blocks"]}
    payload = slack.click_payload("U1", home_message, continue_button)
    payload["container"] = {"type": "view", "view_id": "V1"}
    payload.pop("channel")
    payload.pop("message")
    response = await slack.post(form(payload), "application/x-www-form-urlencoded")
    await slack.settle()
    assert response.status == 200
    assert len(slack.dms("U1")) > posted, "the next step went to the DM"


async def test_a_retried_home_event_publishes_once(slack: SlackDriver) -> None:
    event = {"type": "app_home_opened", "user": "U2", "tab": "home", "event_ts": "1.0"}
    await slack.event(event, event_id="EvHome")
    await slack.event(event, event_id="EvHome", retry=1)
    assert len(slack.fake.calls_to("views.publish")) == 1
    await slack.event({**event, "tab": "messages"})
    assert len(slack.fake.calls_to("views.publish")) == 1
