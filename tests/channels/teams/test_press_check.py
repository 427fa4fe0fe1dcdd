"""Which buttons anyone in a channel may press is decided in the core, for Teams too."""

from __future__ import annotations

from sqlalchemy import select

from bot.channels.teams.welcome import NOT_HERE
from storage.models import Enrollment
from tests.channels.teams.driver import TeamsDriver, executes

CHANNEL = {
    "id": "19:gen@thread.tacv2;messageid=55",
    "conversationType": "channel",
    "tenantId": "tenant-1",
}
CHANNEL_DATA = {
    "tenant": {"id": "tenant-1"},
    "team": {"id": "19:gen@thread.tacv2"},
    "channel": {"id": "19:gen@thread.tacv2"},
}


async def _cursor(teams: TeamsDriver) -> tuple[str | None, int]:
    async with teams.channel.references.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        assert enrollment is not None
        return enrollment.cursor_step, enrollment.cursor_part


async def test_a_personal_chat_button_pressed_in_a_channel_is_refused(
    teams_sqlite: TeamsDriver,
) -> None:
    teams = teams_sqlite
    await teams.install("ann")
    await teams.say("ann", "start secure-coding")
    [button, *_] = executes(teams.last_card("ann"))
    before = await _cursor(teams)

    pressed = await teams.execute("ann", button, conversation=CHANNEL, channelData=CHANNEL_DATA)

    assert pressed.status == 200 and pressed.calls == []
    assert pressed.body["type"] == "application/vnd.microsoft.activity.message"
    assert pressed.body["value"] == NOT_HERE.replace("`", "")  # in Teams' words
    assert await _cursor(teams) == before

    await teams.execute("ann", button)  # in the personal chat it works
    assert await _cursor(teams) != before
