"""Peer review test helpers: a clock to move, people and roles, and reading the records."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import select

from bot.content import Catalog
from bot.content.schema import Portfolio, max_points
from bot.learning.enrollment import enroll
from storage.db import Database
from storage.models import Attempt, BadgeAward, PeerCalibration, PeerSubmission
from storage.queries.org import ensure_team, grant_role, move_to_team, set_binding
from storage.queries.people import ensure_person

T = TypeVar("T")
MONDAY = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
"""09:00 in Berlin on a Monday: inside everyone's default working hours."""


async def person(database: Database, identity: str, name: str = "", tz: str = "") -> int:
    async with database.transaction() as session:
        found = await ensure_person(
            session,
            identity=identity,
            display_name=name or identity.rsplit(":", 1)[1].title(),
            timezone=tz,
        )
        return found.id


async def reviewer(database: Database, identity: str, program_id: str, name: str = "") -> int:
    """A reviewer named for the program."""
    async with database.transaction() as session:
        found = await ensure_person(session, identity=identity, display_name=name)
        await grant_role(session, person=found, role="reviewer", program_id=program_id)
        return found.id


async def badge_holder(database: Database, identity: str, program_id: str, name: str = "") -> int:
    async with database.transaction() as session:
        found = await ensure_person(session, identity=identity, display_name=name)
        session.add(
            BadgeAward(
                uid=secrets.token_hex(8),
                workspace_id=found.workspace_id,
                person_id=found.id,
                program_id=program_id,
                edition=1,
                program_hash="test",
                badge={"name": "test"},
                evidence=[],
                awarded_at=MONDAY - timedelta(days=30),
            )
        )
        return found.id


async def team(database: Database, lead: str, *members: str, name: str = "core") -> None:
    """A team whose lead is `lead`, with `members` (identities)."""
    async with database.transaction() as session:
        boss = await ensure_person(session, identity=lead)
        workspace = boss.workspace_id
        found, _ = await ensure_team(session, workspace_id=workspace, name=name)
        await grant_role(session, person=boss, role="lead", team=found)
        for identity in members:
            member = await ensure_person(session, identity=identity)
            await move_to_team(session, person_id=member.id, team_id=found.id)


async def bind_reviews(database: Database, workspace: str, channel: str) -> None:
    async with database.transaction() as session:
        await ensure_person(session, identity=f"{workspace}:binder")
        await set_binding(
            session, workspace_id=workspace, purpose="reviews", program_id="*", channel=channel
        )


async def calibrated(database: Database, identity: str, catalog: Catalog, program_id: str) -> None:
    """As if the reviewer had scored every anchor of the program's portfolio tasks."""
    program = catalog.programs[program_id]
    async with database.transaction() as session:
        found = await ensure_person(session, identity=identity)
        for quiz in program.quizzes.values():
            for question in quiz.questions:
                if not isinstance(question, Portfolio):
                    continue
                for anchor in question.anchors:
                    session.add(
                        PeerCalibration(
                            person_id=found.id,
                            program_id=program.id,
                            quiz_id=quiz.id,
                            question_id=question.id,
                            anchor_id=anchor.id,
                            levels=anchor.levels,
                            agreement=1.0,
                        )
                    )


def portfolio_of(catalog: Catalog, program_id: str) -> Portfolio:
    """The program's (first) portfolio question."""
    program = catalog.programs[program_id]
    return next(
        q for quiz in program.quizzes.values() for q in quiz.questions if isinstance(q, Portfolio)
    )


async def jump_to_portfolio(
    database: Database, identity: str, catalog: Catalog, program_id: str
) -> Portfolio:
    """Enrol and put the cursor on the program's portfolio task (shown by the next `next`)."""
    program = catalog.programs[program_id]
    quiz_id, index, question = next(
        (quiz.id, i, q)
        for quiz in program.quizzes.values()
        for i, q in enumerate(quiz.questions)
        if isinstance(q, Portfolio)
    )
    async with database.transaction() as session:
        found = await ensure_person(session, identity=identity)
        enrollment, _ = await enroll(session, person=found, program=program)
        enrollment.cursor_step, enrollment.cursor_part = f"quiz:{quiz_id}", index
        enrollment.cursor_shown = False
        for earlier in program.quizzes[quiz_id].questions[:index]:  # answered well already
            points = max_points(earlier)
            session.add(
                Attempt(
                    workspace_id=found.workspace_id,
                    enrollment_id=enrollment.id,
                    program_id=program.id,
                    quiz_id=quiz_id,
                    question_id=earlier.id,
                    quiz_run=0,
                    content_hash=program.question_hash(quiz_id, earlier.id),
                    response="(answered)",
                    status="scored",
                    points=points,
                    max_points=points,
                    correct=True,
                    feedback=[],
                    scorer="exact",
                )
            )
    return question


async def rows(database: Database, model: type[T]) -> list[T]:
    async with database.transaction() as session:
        return list(await session.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]


async def only_submission(database: Database) -> PeerSubmission:
    [found] = await rows(database, PeerSubmission)
    return found
