"""A lesson many learners share is stored and rendered once, and each learner still gets
exactly the message they got when every copy was stored and rendered on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.assessment.scoring import ExactScorer
from bot.channels.slack.client import SharedSession
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.oauth import StaticToken
from bot.channels.slack.people import People
from bot.channels.slack.render import Payload, render_message
from bot.content import Catalog
from bot.core.views import Message
from bot.delivery import DeliveryOptions, DeliveryService, default_limits
from bot.delivery.codec import SHARED, dump_message
from bot.delivery.shared import SharedMessages
from bot.learning.hooks import Hooks
from storage.db import Database
from storage.models import MessageTemplate, OutboxMessage
from storage.types import utcnow
from tests.databases import throwaway_sqlite
from tests.delivery.harness import drain
from tests.delivery.seed import seed_learners, user_id
from tests.fakes.slack_limits import LimitedSlack

LEARNERS = 2


class EachOnItsOwn(SharedMessages):
    """The tick as it was: every outbox row holds its whole message."""

    def stored(self, message: Message, enrollment_id: int | None) -> dict[str, Any]:
        return dump_message(message)


class RenderEach:
    """The messenger as it was: every send renders its message."""

    def render(self, message: Message) -> list[Payload]:
        return render_message(message)


@pytest.fixture
async def slack() -> AsyncIterator[LimitedSlack]:
    fake = await LimitedSlack().start()
    for n in range(LEARNERS):
        fake.add_user(user_id(n))
    yield fake
    await fake.stop()


async def fan_out(
    folder: Path, catalog: Catalog, slack: LimitedSlack, *, shared: bool
) -> tuple[dict[str, dict[str, Any]], list[Any], list[str]]:
    """Tick and send a lesson to each learner; what Slack stored by our key, the rows and
    the stored templates' digests."""
    slack.messages.clear()
    folder.mkdir()
    with throwaway_sqlite(folder) as url:
        database = Database(url)
        session = SharedSession(5.0)
        await session.open()
        try:
            await seed_learners(
                database, catalog, count=LEARNERS, due_at=utcnow() - timedelta(seconds=1)
            )
            options = DeliveryOptions(poll_seconds=0.02, limits=default_limits(1000))
            delivery = DeliveryService(database, catalog, Hooks(), ExactScorer(), options)
            sender = SlackMessenger(
                slack.api_url, StaticToken(slack.token), session, People()
            ).for_outbox()
            if not shared:
                delivery.sweeper.shared = EachOnItsOwn()
                sender.rendered = RenderEach()  # type: ignore[assignment]
            delivery.register(sender, sender)
            assert (await delivery.tick()).messages == LEARNERS
            async with database.transaction() as s:
                rows = list(await s.scalars(select(OutboxMessage.message)))
                templates = list(await s.scalars(select(MessageTemplate.digest)))
            await drain(delivery, timeout=30, everything=True)
        finally:
            await session.close()
            await database.close()
    received = {
        str(m["metadata"]["event_payload"]["key"]): {"text": m["text"], "blocks": m["blocks"]}
        for m in slack.messages.values()
    }
    return received, rows, templates


async def test_two_learners_get_the_same_lesson_as_before_rendered_once(
    tmp_path: Path, mini: Catalog, slack: LimitedSlack
) -> None:
    before, old_rows, no_templates = await fan_out(tmp_path / "before", mini, slack, shared=False)
    after, new_rows, templates = await fan_out(tmp_path / "after", mini, slack, shared=True)
    assert len(before) == LEARNERS and after == before
    first, second = sorted(before)
    assert before[first] != before[second]  # each button carries its learner's enrollment
    assert all(row.get("_") != SHARED for row in old_rows)
    assert {row["_"] for row in new_rows} == {SHARED}
    assert len({row["digest"] for row in new_rows}) == 1  # one template for both learners
    assert no_templates == [] and templates == [new_rows[0]["digest"]], "stored once, by digest"
    assert all("template" not in row for row in new_rows), "no row repeats the template"
    assert sorted(row["e"] for row in new_rows) == sorted(k.split(":")[1] for k in before)
