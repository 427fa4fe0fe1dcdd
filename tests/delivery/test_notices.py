"""Notices left for a learner (a re-scored answer, a badge decided later) reach them once."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import LearnerNotice, Person
from tests.delivery.harness import World


async def leave_notice(world: World, name: str, text: str) -> None:
    async with world.database.transaction() as session:
        person = await session.scalar(select(Person).where(Person.display_name == name.title()))
        assert person is not None
        session.add(
            LearnerNotice(
                workspace_id=person.workspace_id, person_id=person.id, kind="rescored", text=text
            )
        )


async def test_a_notice_arrives_once_through_the_outbox(world: World) -> None:
    ann = world.learner("ann")
    await ann.say("help")
    await leave_notice(world, "ann", "Your answer to **Explain.** was re-scored: 2 of 2 points.")
    await world.run()
    await world.run()
    texts = [t for t in await world.inbox_text("ann") if "re-scored" in t]
    assert texts == [
        "An update on your learning\nYour answer to **Explain.** was re-scored: 2 of 2 points.\n"
        "Type `progress` to see where you stand."
    ]
    async with world.database.transaction() as session:
        notice = await session.scalar(select(LearnerNotice))
        assert notice is not None and notice.delivered_at is not None
