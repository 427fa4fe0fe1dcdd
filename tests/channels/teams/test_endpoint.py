"""POST /api/messages over HTTP: installs, duplicates, bad input, channels, mounting rules."""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import Mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from sqlalchemy import func, select

from bot.application import Application
from bot.channels.teams.app import TEAMS
from bot.channels.teams.http import is_loopback_connection
from bot.channels.teams.translate import MALFORMED
from bot.content import Catalog
from bot.settings import Settings
from bot.web.server import APPLICATION, create_app
from storage.models import Attempt, Person, TeamsConversation
from tests.channels.teams.driver import (
    BOT_ID,
    TeamsDriver,
    args,
    card_text,
    executes,
)


async def _rows(teams: TeamsDriver, model: Any) -> list[Any]:
    async with teams.channel.references.database.transaction() as session:
        return list(await session.scalars(select(model)))


async def test_install_saves_the_reference_and_welcomes_once(teams: TeamsDriver) -> None:
    first = await teams.install("ann")
    again = await teams.post(
        teams.activity("ann", type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    )
    assert first.status == again.status == 201
    [welcome] = first.calls + again.calls
    assert welcome.kind == "send" and welcome.conversation == "a:ann"  # POST …/activities
    assert welcome.body["summary"] and not welcome.body.get("text")  # the card alone
    assert "Things to try" in card_text(welcome.card or {})
    [row] = await _rows(teams, TeamsConversation)
    assert (row.address, row.kind, row.reachable) == ("teams:tenant-1:aad-ann", "personal", True)
    assert row.reference["serviceUrl"] == teams.connector.url
    assert "activityId" not in row.reference  # proactive posts are new messages, not replies


async def test_duplicate_activity_ids_are_processed_once(teams: TeamsDriver) -> None:
    await teams.say("bo", "start secure-coding")
    await teams.say("bo", "next")
    while not any("q" in args(a) for a in executes(teams.last_card("bo"))):
        await teams.say("bo", "next")
    answer = teams.activity("bo", type="message", text="a", id="retry-me")
    first = await teams.post(answer)
    second = await teams.post(answer)
    assert first.calls and second.status == 201 and second.calls == []
    assert len(await _rows(teams, Attempt)) == 1


async def test_bad_card_data_and_bad_requests_get_clear_answers(teams: TeamsDriver) -> None:
    turn = await teams.execute("cy", {"verb": "answer", "data": {"answer": "a"}})
    assert turn.status == 200 and turn.body["type"] == "application/vnd.microsoft.activity.message"
    assert turn.body["value"].startswith("That card did not carry what I need")
    assert "`" not in turn.body["value"] and MALFORMED.startswith(turn.body["value"][:30])
    other = await teams.post(teams.activity("cy", type="invoke", name="task/fetch", value={}))
    assert other.status == 501
    raw = await teams.client.post(
        "/api/messages", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert raw.status == 400
    typeless = await teams.client.post("/api/messages", json={"text": "hi"})
    assert typeless.status == 400
    plain = await teams.client.post("/api/messages", data="hi")
    assert plain.status == 415


async def test_typed_text_is_escaped_and_the_time_zone_is_kept(teams: TeamsDriver) -> None:
    turn = await teams.say("di", "*shout* [x](https://evil.example)")
    text = card_text(turn.cards[0])
    assert "I didn't catch" in text and "\\*shout\\*" in text and "\\[x\\](https" in text
    [person] = await _rows(teams, Person)
    assert (person.timezone, person.display_name) == ("Europe/Berlin", "Di")


async def test_action_submit_fallback_edits_the_used_card(teams: TeamsDriver) -> None:
    await teams.say("ed", "start secure-coding")
    lesson = teams.last_card("ed")
    [next_page] = executes(lesson)
    turn = await teams.post(
        teams.activity("ed", type="message", value=next_page["data"], replyToId="lesson-card-7")
    )
    kinds = [(c.kind, c.activity_id) for c in turn.calls]
    assert kinds[0] == ("update", "lesson-card-7") and kinds[1][0] == "send"
    assert executes(turn.calls[0].card or {}) == []  # the used page lost its button


async def test_channels_get_a_pointer_to_the_personal_chat(teams: TeamsDriver) -> None:
    channel = {
        "id": "19:gen@thread.tacv2;messageid=55",
        "conversationType": "channel",
        "tenantId": "tenant-1",
    }
    data = {
        "tenant": {"id": "tenant-1"},
        "team": {"id": "19:gen@thread.tacv2"},
        "channel": {"id": "19:gen@thread.tacv2"},
    }
    mention = [{"type": "mention", "text": "<at>microcred</at>", "mentioned": {"id": BOT_ID}}]
    turn = await teams.say(
        "fi",
        "<at>microcred</at> progress",
        conversation=channel,
        channelData=data,
        entities=mention,
    )
    [pointer] = turn.calls
    assert pointer.kind == "reply"  # in the thread of the mention
    assert "personal chat" in card_text(pointer.card or {})
    assert "teams:tenant-1:19:gen@thread.tacv2" in card_text(pointer.card or {})
    assert [r.address for r in await _rows(teams, TeamsConversation)] == [
        "teams:tenant-1:19:gen@thread.tacv2"
    ]
    install = await teams.post(
        teams.activity(
            "fi",
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}],
            conversation={"id": "19:gen@thread.tacv2", "conversationType": "channel"},
            channelData=data,
        )
    )
    assert install.calls == []  # known already: no second introduction


async def test_team_install_introduces_the_bot_to_the_room(teams: TeamsDriver) -> None:
    data = {"tenant": {"id": "tenant-1"}, "team": {"id": "19:t@thread.tacv2"}}
    turn = await teams.post(
        teams.activity(
            "gi",
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}],
            conversation={"id": "19:t@thread.tacv2", "conversationType": "channel"},
            channelData=data,
        )
    )
    [intro] = turn.calls
    assert intro.kind == "send" and intro.conversation == "19:t@thread.tacv2"
    assert "joined this team" in card_text(intro.card or {})


def _request(host: str) -> web.Request:
    transport = Mock()
    transport.get_extra_info.return_value = (host, 3978)
    return make_mocked_request("POST", "/api/messages", transport=transport)


def test_loopback_connections_only_when_auth_is_off() -> None:
    assert is_loopback_connection(_request("127.0.0.1"))
    assert is_loopback_connection(_request("::1"))
    assert not is_loopback_connection(_request("10.1.2.3"))


@pytest.mark.parametrize(
    ("host", "app_id", "mounted"),
    [
        ("127.0.0.1", "", True),
        ("localhost", "", True),
        ("0.0.0.0", "", False),
        ("0.0.0.0", "11111111-2222-3333-4444-555555555555", True),
    ],
)
async def test_without_an_app_id_teams_mounts_only_on_loopback(
    sqlite_url: str,
    catalog: Catalog,
    caplog: pytest.LogCaptureFixture,
    host: str,
    app_id: str,
    mounted: bool,
) -> None:
    settings = Settings(
        database_url=sqlite_url,
        host=host,
        microsoft_app_id=app_id,
        microsoft_app_password="secret" if app_id else "",
    )
    with caplog.at_level(logging.WARNING):
        app = create_app(Application.build(settings, catalog=catalog))
    routes = {r.resource.canonical for r in app.router.routes() if r.resource is not None}
    assert ("/api/messages" in routes) is mounted and (TEAMS in app) is mounted
    if not mounted:
        assert "Microsoft Teams is off: MICROSOFT_APP_ID is not set" in caplog.text
    await app[APPLICATION].stop()


async def test_the_server_answers_once_per_person_in_the_database(teams: TeamsDriver) -> None:
    for user in ("ha", "ha", "io"):
        await teams.say(user, "help")
    async with teams.channel.references.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 2


async def test_a_refused_submission_keeps_the_card_and_says_why(teams: TeamsDriver) -> None:
    data = {"microcred": {"name": "start", "args": {"program": "no-such-program"}}}
    turn = await teams.execute("jo", {"verb": "start", "data": data})
    assert turn.status == 200 and turn.calls == []  # nothing new posted, the card stays
    assert turn.body["type"] == "application/vnd.microsoft.activity.message"
    assert turn.body["value"].startswith("I have no program called")
