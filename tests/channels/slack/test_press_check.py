"""Which buttons anyone in a channel may press is decided in the core, for Slack too."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.actions import not_yours_here
from storage.models import Enrollment
from tests.channels.slack.driver import SlackDriver, actions_of


async def _cursor(slack: SlackDriver) -> tuple[str | None, int]:
    async with slack.services.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        assert enrollment is not None
        return enrollment.cursor_step, enrollment.cursor_part


async def test_a_dm_button_pressed_on_a_channel_post_is_refused_privately(
    slack_sqlite: SlackDriver,
) -> None:
    slack = slack_sqlite
    await slack.dm("U1", "start secure-coding")
    lesson = slack.last_with_actions("U1")
    [button, *_] = actions_of(lesson)
    before, sent = await _cursor(slack), len(slack.fake.messages)

    # The same button, as if it sat on a post in #general and a colleague pressed it.
    in_channel = {**lesson, "channel": "C1"}
    response = await slack.click("U2", in_channel, button)

    assert response.status == 200
    note = slack.fake.responses[-1]
    assert note["response_type"] == "ephemeral" and note["text"] == not_yours_here()
    assert len(slack.fake.messages) == sent  # nothing posted, nothing edited
    assert await _cursor(slack) == before

    await slack.click("U1", lesson, button)  # in the learner's own DM it works
    assert await _cursor(slack) != before
