"""With authentication off, the Teams endpoint refuses what it cannot trust, without a crash."""

from __future__ import annotations

from tests.channels.teams.driver import TeamsDriver


async def test_replies_go_only_to_loopback_service_urls(teams: TeamsDriver) -> None:
    elsewhere = teams.activity(
        "ann", type="message", text="help", serviceUrl="https://attacker.example/"
    )
    turn = await teams.post(elsewhere)
    assert turn.status == 403 and turn.calls == []
    assert (await teams.say("ann", "help")).status in (200, 201)  # the local connector


async def test_an_activity_without_a_conversation_is_a_bad_request(teams: TeamsDriver) -> None:
    activity = teams.activity("ann", type="message", text="help")
    del activity["conversation"]
    turn = await teams.post(activity)
    assert turn.status == 400 and turn.calls == []
