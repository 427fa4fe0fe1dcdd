"""Socket Mode: apps.connections.open → a local WebSocket → envelopes acked and handled."""

from __future__ import annotations

from bot.content import Catalog
from tests.channels.slack.conftest import start_slack
from tests.fakes.slack_api import FakeSlack


async def test_socket_mode_acks_envelopes_and_runs_the_journey(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack
) -> None:
    driver = await start_slack(
        sqlite_url, catalog, fake_slack, slack_signing_secret="", slack_app_token="xapp-1-test"
    )
    try:
        assert fake_slack.calls_to("apps.connections.open")[0].token == "xapp-1-test"
        not_mounted = await driver.client.post("/slack/events", data="{}")
        assert not_mounted.status in (404, 405)
        command = {
            "team_id": "T1",
            "user_id": "U1",
            "channel_id": "DU1",
            "command": "/learn",
            "text": "start secure-coding",
            "trigger_id": "trig-s1",
            "response_url": fake_slack.response_url("s1"),
        }
        ack = await fake_slack.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": command,
                "accepts_response_payload": True,
                "retry_attempt": 0,
            }
        )
        assert ack["envelope_id"] == "env-1"
        await fake_slack.wait_for(lambda: len(fake_slack.calls_to("chat.postMessage")) >= 2)
        event = {
            "token": "x",
            "team_id": "T1",
            "type": "event_callback",
            "event_id": "EvS1",
            "event": {
                "type": "message",
                "channel": "DU1",
                "channel_type": "im",
                "user": "U1",
                "text": "progress",
                "ts": "1.5",
            },
        }
        posted = len(fake_slack.calls_to("chat.postMessage"))
        ack = await fake_slack.send_envelope(
            {
                "envelope_id": "env-2",
                "type": "events_api",
                "payload": event,
                "accepts_response_payload": False,
                "retry_attempt": 0,
            }
        )
        assert ack == {"envelope_id": "env-2"}
        await fake_slack.wait_for(lambda: len(fake_slack.calls_to("chat.postMessage")) > posted)
        retried = await fake_slack.send_envelope(
            {
                "envelope_id": "env-3",
                "type": "events_api",
                "payload": event,
                "accepts_response_payload": False,
                "retry_attempt": 1,
                "retry_reason": "timeout",
            }
        )
        assert retried["envelope_id"] == "env-3"
        await driver.settle()
        assert len(fake_slack.calls_to("chat.postMessage")) == posted + 1, "the retry was absorbed"
    finally:
        await driver.client.close()
    assert fake_slack.problems == []
