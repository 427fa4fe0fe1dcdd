"""Activities → neutral events: identity, time zone, mentions, card data, installs."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from bot.channels.teams.translate import (
    MALFORMED,
    UNKNOWN_PERSON,
    Install,
    Problem,
    actor_of,
    inbound_of,
    install_of,
)
from bot.core.events import ActionInput, TextInput
from bot.core.views import Action

BOT = {"id": "28:bot", "name": "microcred"}


def activity(**fields: Any) -> Activity:
    base: dict[str, Any] = {
        "type": "message",
        "id": "m1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example/emea/",
        "from": {"id": "29:x", "aadObjectId": "aad-1", "name": "Ann Lee"},
        "recipient": BOT,
        "conversation": {"id": "a:1", "conversationType": "personal", "tenantId": "T1"},
        "channelData": {"tenant": {"id": "T1"}},
    }
    base.update(fields)
    return Activity().deserialize(base)


def test_identity_is_tenant_and_aad_object_id_with_local_time_zone() -> None:
    actor = actor_of(activity(localTimezone="Europe/Berlin", locale="de-DE"))
    assert actor is not None
    assert (actor.identity, actor.display_name) == ("teams:T1:aad-1", "Ann Lee")
    assert (actor.timezone, actor.locale) == ("Europe/Berlin", "de-DE")
    info = [{"type": "clientInfo", "timezone": "America/New_York", "locale": "en-US"}]
    assert actor_of(activity(entities=info)).timezone == "America/New_York"  # type: ignore[union-attr]
    assert actor_of(activity(localTimezone="Mars/Olympus")).timezone == ""  # type: ignore[union-attr]
    assert actor_of(activity(**{"from": {"id": "29:x"}})) is None  # no AAD id: nobody
    assert inbound_of(activity(text="hi", **{"from": {"id": "29:x"}})) == Problem(UNKNOWN_PERSON)


def test_text_loses_the_bot_mention_and_menu_titles_become_commands() -> None:
    mention = [{"type": "mention", "text": "<at>microcred</at>", "mentioned": BOT}]
    found = inbound_of(activity(text="<at>microcred</at> next", entities=mention))
    assert found is not None and not isinstance(found, Problem)
    assert found.input == TextInput("next") and found.event_id == "m1"
    assert inbound_of(activity(text="Next lesson")).input == TextInput("next")  # type: ignore[union-attr]
    assert inbound_of(activity(text="My progress")).input == TextInput("progress")  # type: ignore[union-attr]
    assert inbound_of(activity(text="a &amp; b")).input == TextInput("a & b")  # type: ignore[union-attr]
    assert inbound_of(activity(text="  ")) is None


def _invoke(data: Any) -> Activity:
    return activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "answer", "data": data}},
    )


def test_action_execute_data_becomes_action_and_values() -> None:
    data = {
        "microcred": {"name": "answer", "args": {"e": "4", "q": "quiz/q1", "r": 0}},
        "answer": "a,c",
        "count": 42,
        "flag": True,
        "many": ["x", 2],
        "empty": None,
    }
    found = inbound_of(_invoke(data))
    assert found is not None and not isinstance(found, Problem)
    assert found.input == ActionInput(
        Action("answer", (("e", "4"), ("q", "quiz/q1"), ("r", "0"))),
        {"answer": "a,c", "count": "42", "flag": "true", "many": ["x", "2"]},
    )


def test_missing_or_malformed_card_data_is_a_clear_problem() -> None:
    data: object
    for data in (
        None,
        "text",
        {},
        {"microcred": "answer"},
        {"microcred": {"args": {}}},
        {"microcred": {"name": "x", "args": []}},
        {"microcred": {"name": "x", "args": {"a": {"b": 1}}}},
        {"microcred": {"name": "x"}, "answer": {"nested": 1}},
    ):
        assert inbound_of(_invoke(data)) == Problem(MALFORMED)
    assert inbound_of(activity(type="invoke", name="adaptiveCard/action", value="x")) == Problem(
        MALFORMED
    )


def test_action_submit_fallback_arrives_as_a_message_with_value() -> None:
    found = inbound_of(activity(value={"microcred": {"name": "next", "args": {}}}))
    assert found is not None and not isinstance(found, Problem)
    assert found.input == ActionInput(Action("next"), {})


def test_installs_in_personal_chats_and_teams() -> None:
    assert install_of(activity(type="installationUpdate", action="add")) == Install(
        True, "personal", "teams:T1:aad-1"
    )
    assert install_of(activity(type="installationUpdate", action="remove")) == Install(
        False, "personal", "teams:T1:aad-1"
    )
    team = {
        "type": "conversationUpdate",
        "membersAdded": [BOT],
        "conversation": {"id": "19:gen@thread.tacv2", "conversationType": "channel"},
        "channelData": {
            "tenant": {"id": "T1"},
            "team": {"id": "19:gen@thread.tacv2"},
            "channel": {"id": "19:gen@thread.tacv2"},
        },
    }
    assert install_of(activity(**team)) == Install(True, "channel", "teams:T1:19:gen@thread.tacv2")
    someone = {**team, "membersAdded": [{"id": "29:y"}]}
    assert install_of(activity(**someone)) is None  # a person joined: not our install
    group = {**team, "conversation": {"id": "19:g", "conversationType": "groupChat"}}
    assert install_of(activity(**group)) is None
