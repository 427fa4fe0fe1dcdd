"""Proactive delivery with TeamsMessenger, and what the connector's failures do to it."""

from __future__ import annotations

import time

import pytest
from msrest.exceptions import HttpOperationError
from sqlalchemy import select

from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.views import Message, Text
from bot.learning import screens
from storage.models import Enrollment, TeamsConversation
from tests.channels.teams.driver import BOT_ID, TeamsDriver, card_text, executes
from tests.fakes.bot_connector import Call

ANN = "teams:tenant-1:aad-ann"


async def _enrollment(teams: TeamsDriver) -> Enrollment:
    async with teams.channel.references.database.transaction() as session:
        found = await session.scalar(select(Enrollment))
        assert found is not None
        return found


async def test_a_proactive_lesson_reaches_an_installed_learner(
    teams: TeamsDriver, catalog: Catalog
) -> None:
    await teams.install("ann")
    await teams.say("ann", "start secure-coding")
    enrollment = await _enrollment(teams)
    program = catalog.programs["secure-coding"]
    lesson = program.lessons[program.steps[0].id]
    teams.connector.clear()
    page = screens.lesson_page(program, lesson, 0, enrollment.id)
    ref = await teams.channel.messenger.send_direct(ANN, page, key="lesson-1")
    [call] = teams.connector.calls
    assert (call.kind, call.conversation) == ("send", "a:ann")  # a new message, not a reply
    assert call.body["summary"] == page.fallback and not call.body.get("replyToId")
    address, _, activity_id = ref.rpartition("|")
    assert address == ANN and activity_id.startswith("activity-")  # what the connector answered
    assert lesson.meta.title in card_text(call.card or {})
    # The learner acts on the proactive card like on any other.
    [next_page] = executes(call.card or {})
    turn = await teams.execute("ann", next_page, reply_to=activity_id)
    assert turn.status == 200 and turn.card is not None and executes(turn.card) == []
    await teams.channel.messenger.update(ref, Message((Text("Replaced."),), "Replaced."))
    update = teams.connector.calls[-1]
    assert (update.kind, update.activity_id) == ("update", activity_id)


async def test_channel_posts_and_unknown_addresses(teams: TeamsDriver) -> None:
    data = {"tenant": {"id": "tenant-1"}, "team": {"id": "19:t@thread.tacv2"}}
    await teams.post(
        teams.activity(
            "lead",
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}],
            conversation={"id": "19:t@thread.tacv2", "conversationType": "channel"},
            channelData=data,
        )
    )
    message = Message((Text("Secure coding starts Monday."),), "Announcement")
    await teams.channel.messenger.post_channel("teams:tenant-1:19:t@thread.tacv2", message, key="a")
    post = teams.connector.calls[-1]
    assert (post.kind, post.conversation) == ("send", "19:t@thread.tacv2")
    with pytest.raises(Unreachable, match="not installed"):
        await teams.channel.messenger.send_direct("teams:tenant-1:aad-nobody", message, key="b")


async def test_throttling_and_server_errors_are_retried(teams: TeamsDriver) -> None:
    await teams.install("bo")
    teams.connector.fail(429, retry_after="0.2")
    teams.connector.fail(503, times=2)
    started = time.monotonic()
    await teams.channel.messenger.send_direct(
        "teams:tenant-1:aad-bo", Message((Text("Hello"),), "Hello"), key="k"
    )
    assert time.monotonic() - started >= 0.2  # Retry-After was honoured
    statuses = [c.status for c in teams.connector.calls[-4:]]
    assert statuses == [429, 503, 503, 200]


async def test_timeouts_are_retried(teams: TeamsDriver) -> None:
    await teams.install("cy")
    teams.connector.stall(1.5)  # longer than the 1 s client timeout of the test policy
    started = time.monotonic()
    await teams.channel.messenger.send_direct(
        "teams:tenant-1:aad-cy", Message((Text("Hello"),), "Hello"), key="k"
    )
    assert time.monotonic() - started >= 1.0  # the first attempt timed out, the retry went on

    def hello(call: Call) -> bool:
        return bool(call.card and "Hello" in card_text(call.card))

    others = [c for c in teams.connector.delivered() if not hello(c)]
    delivered = await teams.connector.wait_for(len(others) + 2)  # the stalled one answered too
    assert len([c for c in delivered if hello(c)]) == 2  # a timed-out send may have arrived


async def test_a_persistent_server_error_gives_up(teams: TeamsDriver) -> None:
    await teams.install("di")
    teams.connector.fail(500, times=10)
    with pytest.raises(HttpOperationError):
        await teams.channel.messenger.send_direct(
            "teams:tenant-1:aad-di", Message((Text("Hello"),), "Hello"), key="k"
        )
    assert len([c for c in teams.connector.calls if c.status == 500]) == 4  # policy attempts


async def test_an_uninstalled_learner_is_unreachable_and_not_retried(teams: TeamsDriver) -> None:
    await teams.install("ed")
    teams.connector.block("a:ed")
    hello = Message((Text("Hello"),), "Hello")
    with pytest.raises(Unreachable, match="403"):
        await teams.channel.messenger.send_direct("teams:tenant-1:aad-ed", hello, key="k")
    assert [c.status for c in teams.connector.calls if c.conversation == "a:ed"][-1:] == [403]
    calls = len(teams.connector.calls)
    with pytest.raises(Unreachable):
        await teams.channel.messenger.send_direct("teams:tenant-1:aad-ed", hello, key="k2")
    assert len(teams.connector.calls) == calls  # not even tried again
    async with teams.channel.references.database.transaction() as session:
        row = await session.get(TeamsConversation, "teams:tenant-1:aad-ed")
        assert row is not None and not row.reachable and "403" in row.unreachable_reason
    # Installing the app again makes the learner reachable (and welcomes them back).
    teams.connector.blocked.clear()
    turn = await teams.install("ed")
    assert turn.calls and turn.calls[0].status == 200
    await teams.channel.messenger.send_direct("teams:tenant-1:aad-ed", hello, key="k3")


async def test_uninstall_event_and_403_during_a_turn(teams: TeamsDriver) -> None:
    await teams.install("fi")
    removed = await teams.post(teams.activity("fi", type="installationUpdate", action="remove"))
    assert removed.status == 201 and removed.calls == []
    with pytest.raises(Unreachable, match="uninstalled"):
        await teams.channel.messenger.send_direct(
            "teams:tenant-1:aad-fi", Message((Text("x"),), "x"), key="k"
        )
    teams.connector.block("a:gi")
    turn = await teams.say("gi", "help")
    assert turn.status == 201  # the turn ends cleanly; the learner is marked unreachable
    async with teams.channel.references.database.transaction() as session:
        row = await session.get(TeamsConversation, "teams:tenant-1:aad-gi")
        assert row is not None and not row.reachable


async def test_connector_clients_are_built_once_per_service_url(teams: TeamsDriver) -> None:
    for text in ("help", "catalog", "progress"):
        await teams.say("ha", text)
    await teams.channel.messenger.send_direct(
        "teams:tenant-1:aad-ha", Message((Text("x"),), "x"), key="k"
    )
    assert len(teams.channel.clients) == 1
