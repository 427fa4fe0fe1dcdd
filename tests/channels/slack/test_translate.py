"""Slack payloads to neutral inbound events: commands, DMs, Home, clicks and modal submissions."""

from __future__ import annotations

from typing import Any

from bot.channels.slack import translate
from bot.channels.slack.modals import ModalSource
from bot.core.events import ActionInput, TextInput
from bot.core.views import Action

ENVELOPE = {"team_id": "T1", "event_id": "Ev1", "type": "event_callback"}


def test_a_slash_command_is_its_text() -> None:
    body = {
        "team_id": "T1",
        "user_id": "U1",
        "channel_id": "C9",
        "text": " start secure-coding ",
        "trigger_id": "tr1",
        "response_url": "https://hooks.example/r",
    }
    incoming = translate.from_command(body)
    assert incoming.inbound.actor.identity == "slack:T1:U1"
    assert incoming.inbound.input == TextInput("start secure-coding")
    assert incoming.inbound.event_id == "cmd:tr1"
    assert incoming.origin.channel_id == "C9" and incoming.origin.surface == "command"
    empty = translate.from_command({**body, "text": ""})
    assert empty.inbound.input == TextInput("help")


def test_dm_messages_become_text_and_everything_else_is_ignored() -> None:
    event = {"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": "next"}
    incoming = translate.from_message(event, ENVELOPE)
    assert incoming is not None
    assert incoming.inbound.input == TextInput("next") and incoming.inbound.event_id == "Ev1"
    assert incoming.origin.in_dm and incoming.origin.channel_id == "D1"
    ignored = [
        {**event, "subtype": "message_changed"},
        {**event, "bot_id": "B1"},
        {**event, "subtype": "bot_message"},
        {**event, "channel_type": "channel"},
        {**event, "text": "  "},
        {k: v for k, v in event.items() if k != "user"},
    ]
    assert [translate.from_message(e, ENVELOPE) for e in ignored] == [None] * len(ignored)


def test_opening_the_home_tab_asks_for_home() -> None:
    incoming = translate.from_home_opened(
        {"type": "app_home_opened", "user": "U1", "tab": "home"}, ENVELOPE
    )
    assert incoming is not None
    assert incoming.inbound.input == ActionInput(Action.of("home"))
    assert incoming.origin.surface == "home"
    assert translate.from_home_opened({"user": "U1", "tab": "messages"}, ENVELOPE) is None


def click(**extra: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "D1"},
        "message": {
            "ts": "1.2",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Q"}}],
        },
        "trigger_id": "tr9",
        "response_url": "https://hooks.example/r",
        "actions": [
            {"action_id": "mc:answer:2", "value": "e=1&q=quiz%2Fq1&r=0", "action_ts": "5.5"}
        ],
        "state": {
            "values": {
                "mcf:answer": {
                    "mcf:answer": {
                        "type": "checkboxes",
                        "selected_options": [{"value": "a"}, {"value": "c"}],
                    }
                }
            }
        },
    }
    body.update(extra)
    return body


def test_a_click_carries_its_action_the_inputs_and_where_it_happened() -> None:
    incoming = translate.from_action(click())
    assert incoming.inbound.input == ActionInput(
        Action("answer", (("e", "1"), ("q", "quiz/q1"), ("r", "0"))), {"answer": ["a", "c"]}
    )
    origin = incoming.origin
    assert (origin.channel_id, origin.message_ts, origin.in_dm) == ("D1", "1.2", True)
    assert origin.source_blocks and origin.response_url == "https://hooks.example/r"
    assert incoming.inbound.event_id == "block_actions:tr9"


def test_a_redelivered_click_keeps_its_id_and_a_second_click_does_not() -> None:
    first = translate.from_action(click()).inbound.event_id
    assert translate.from_action(click()).inbound.event_id == first
    assert translate.from_action(click(trigger_id="tr10")).inbound.event_id != first


def test_a_click_in_the_home_tab() -> None:
    body = click(container={"type": "view", "view_id": "V1"}, view={"state": {"values": {}}})
    body.pop("message")
    incoming = translate.from_action(body)
    assert incoming.origin.surface == "home" and incoming.origin.channel_id == ""


def test_a_modal_submission_carries_the_form_action_and_the_source_message() -> None:
    source = ModalSource(Action.of("answer", e=1, q="quiz/q2", r=0), "D1", "1.3")
    body = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "trigger_id": "tr11",
        "view": {
            "private_metadata": source.pack(),
            "hash": "h1",
            "state": {
                "values": {
                    "mcf:answer": {"mcf:answer": {"type": "plain_text_input", "value": "42"}}
                }
            },
        },
    }
    incoming = translate.from_submission(body)
    assert incoming.inbound.input == ActionInput(source.action, {"answer": "42"})
    assert (incoming.origin.channel_id, incoming.origin.message_ts) == ("D1", "1.3")
    assert (
        incoming.origin.surface == "modal" and incoming.inbound.event_id == "view_submission:tr11"
    )


def test_team_of_every_payload_shape() -> None:
    assert translate.team_of({"team_id": "T1"}) == "T1"
    assert translate.team_of({"team": {"id": "T2"}}) == "T2"
    assert translate.team_of({"user": {"team_id": "T3"}}) == "T3"
    assert translate.team_of({"enterprise": {"id": "E1"}, "team": None}) == "E1"
