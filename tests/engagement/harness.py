"""The journey with engagement on a controllable clock, posting through a FakeMessenger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.events import ActionInput, Inbound, TextInput
from bot.core.messengers import Messengers
from bot.core.middleware import ErrorReplies, Router
from bot.core.views import Action, Message, Reply
from bot.engagement import Engagement
from bot.learning.hooks import Hooks
from bot.learning.journey import Journey
from bot.marking.wiring import build_scorer
from bot.settings import Settings
from storage.db import Database
from storage.models import Person, PointsEntry, PointsTotal
from storage.queries.org import ensure_team, grant_role, move_to_team, set_binding
from storage.queries.people import ensure_person, ensure_workspace
from tests.clock import FakeClock as Clock
from tests.driver import Learner, all_text, buttons, correct_answer
from tests.fakes.messenger import FakeMessenger

WORKSPACE = "slack:T1"
CHANNEL = "slack:T1:C1"


class Member(Learner):
    """A learner who can also type in a shared channel and press buttons on channel posts."""

    async def say_in(self, channel: str, text: str) -> Reply:
        return await self._send(Inbound(self.actor, TextInput(text), channel=channel))

    async def press_on(
        self, post: Message, label: str, values: dict[str, Any] | None = None
    ) -> Reply:
        for button in buttons(post):
            if button.label.startswith(label):
                inbound = Inbound(self.actor, ActionInput(button.action, values or {}))
                return await self._send(inbound)
        raise AssertionError(f"no {label!r} button on {all_text(post)[:200]}")

    async def press_on_action(self, action: Action, values: dict[str, Any] | None = None) -> Reply:
        """Send an action as if from a button (a stale or forged one, too)."""
        return await self._send(Inbound(self.actor, ActionInput(action, values or {})))


@dataclass
class Harness:
    database: Database
    catalog: Catalog
    clock: Clock
    engagement: Engagement
    router: Router
    messenger: FakeMessenger

    def member(self, name: str, workspace: str = WORKSPACE) -> Member:
        return Member(self.router, name, workspace)

    async def person_id(self, name: str, workspace: str = WORKSPACE) -> int:
        async with self.database.transaction() as s:
            person = await ensure_person(
                s, identity=f"{workspace}:{name}", display_name=name.title()
            )
            return person.id

    async def team(self, name: str, *members: str, lead: str = "") -> int:
        async with self.database.transaction() as s:
            await ensure_workspace(s, workspace_id=WORKSPACE)
            team, _ = await ensure_team(s, workspace_id=WORKSPACE, name=name)
            for who in members:
                person = await ensure_person(
                    s, identity=f"{WORKSPACE}:{who}", display_name=who.title()
                )
                await move_to_team(s, person_id=person.id, team_id=team.id)
            if lead:
                person = await ensure_person(
                    s, identity=f"{WORKSPACE}:{lead}", display_name=lead.title()
                )
                await grant_role(s, person=person, role="lead", team=team)
            return team.id

    async def admin(self, name: str) -> None:
        async with self.database.transaction() as s:
            person = await ensure_person(
                s, identity=f"{WORKSPACE}:{name}", display_name=name.title()
            )
            await grant_role(s, person=person, role="admin")

    async def bind(self, purpose: str, channel: str = CHANNEL, program: str = "*") -> None:
        async with self.database.transaction() as s:
            await ensure_workspace(s, workspace_id=WORKSPACE)
            await set_binding(
                s, workspace_id=WORKSPACE, purpose=purpose, program_id=program, channel=channel
            )

    async def ledger(self, name: str | None = None) -> list[PointsEntry]:
        async with self.database.transaction() as s:
            query = select(PointsEntry).order_by(PointsEntry.id)
            if name is not None:
                query = query.where(PointsEntry.person_id == await self.person_id(name))
            return list(await s.scalars(query))

    async def total(self, name: str, board: str = "org", period: str = "all") -> int:
        pid = await self.person_id(name)
        async with self.database.transaction() as s:
            found = await s.scalar(
                select(func.coalesce(func.sum(PointsTotal.points), 0)).where(
                    PointsTotal.person_id == pid,
                    PointsTotal.board == board,
                    PointsTotal.period == period,
                )
            )
            return int(found or 0)

    async def sweep(self, **advance: float) -> None:
        if advance:
            self.clock.advance(**advance)
        await self.engagement.sweep()
        await self.engagement.drain()


async def _person(session: AsyncSession, name: str, workspace: str = WORKSPACE) -> Person:
    return await ensure_person(session, identity=f"{workspace}:{name}", display_name=name.title())


async def read_lesson(learner: Learner) -> str:
    """Page through the lesson at hand to its end; the text of the last reply."""
    asked = False
    for _ in range(30):
        labels = [b.label for b in buttons(learner.last)]
        if "Next page" in labels:
            await learner.click("Next page")
        elif "Continue" in labels:
            return learner.text(await learner.click("Continue"))
        elif not asked:
            asked = True
            await learner.say("next")
        else:
            raise AssertionError(f"no lesson here: {all_text(learner.last)[:200]}")
    raise AssertionError(f"the lesson did not end in 30 pages: {all_text(learner.last)[:200]}")


async def answer_open_question(learner: Learner, catalog: Catalog, program_id: str) -> None:
    key = learner.last.key
    _, _, quiz_id, _, question_id = key.split(":")
    question = catalog.programs[program_id].question(quiz_id, question_id)
    assert question is not None
    await learner.say(correct_answer(question, learner.last))


def harness(database: Database, catalog: Catalog, start: datetime, **options: Any) -> Harness:
    clock = Clock(start)
    messenger = FakeMessenger("slack")
    engagement = Engagement(
        database, catalog, messengers=Messengers(messenger), clock=clock, kick=False, **options
    )
    hooks = Hooks()
    engagement.register(hooks)
    scorer = build_scorer(Settings(database_url=database.url), database)
    journey = Journey(database, catalog, hooks=hooks, scorer=scorer)
    router = Router(journey, [ErrorReplies()])
    return Harness(database, catalog, clock, engagement, router, messenger)
