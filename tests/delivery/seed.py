"""Many Slack learners at once, each with a lesson slot due (multi-process tests, benchmark)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert

from bot.content import Catalog
from bot.delivery.rules import rule_for
from storage.db import Database
from storage.models import DueItem, Enrollment, Identity, Person, Workspace
from storage.types import utcnow

ALWAYS = "daily 00:00-24:00"
"""Quiet hours that never hold a message back, whatever time the test runs."""


def user_id(n: int) -> str:
    return f"U{n:06d}"


async def seed_learners(
    database: Database,
    catalog: Catalog,
    *,
    count: int,
    due_at: datetime,
    spread: timedelta = timedelta(0),
    team: str = "T1",
    program_id: str = "mini",
) -> list[str]:
    """`count` learners `slack:TEAM:U…` at the first step of `program_id`, each with a slot
    due between `due_at` and `due_at + spread`. Returns the outbox keys their lessons get."""
    program = catalog.programs[program_id]
    now = utcnow()
    workspace = f"slack:{team}"
    rule = rule_for(
        enrollment_cadence=None,
        learner_cadence=None,
        cohort_cadence=None,
        program_cadence=program.meta.cadence,
        timezone="UTC",
        quiet_hours=ALWAYS,
        default_window=ALWAYS,
        started_at=now,
    )
    async with database.transaction() as session:
        if await session.get(Workspace, workspace) is None:
            session.add(Workspace(id=workspace, platform="slack", name="seeded"))
            await session.flush()
        people = await session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [
                {
                    "workspace_id": workspace,
                    "display_name": f"Learner {n}",
                    "timezone": "UTC",
                    "locale": "en",
                    "quiet_hours": ALWAYS,
                    "created_at": now,
                }
                for n in range(count)
            ],
        )
        person_ids = list(people)
        await session.execute(
            insert(Identity),
            [
                {"person_id": pid, "identity": f"{workspace}:{user_id(n)}"}
                for n, pid in enumerate(person_ids)
            ],
        )
        enrollments = await session.scalars(
            insert(Enrollment).returning(Enrollment.id, sort_by_parameter_order=True),
            [
                {
                    "workspace_id": workspace,
                    "person_id": pid,
                    "program_id": program.id,
                    "program_hash": program.hash,
                    "status": "active",
                    "cursor_step": program.steps[0].key,
                    "cursor_part": 0,
                    "cursor_shown": False,
                    "quiz_run": 0,
                    "started_at": now,
                    "touched_at": now,
                }
                for pid in person_ids
            ],
        )
        enrollment_ids = list(enrollments)
        step = spread / max(count - 1, 1)
        await session.execute(
            insert(DueItem),
            [
                {
                    "workspace_id": workspace,
                    "enrollment_id": eid,
                    "kind": "slot",
                    "ref": f"seeded-{eid}",
                    "slot_at": due_at + step * n,
                    "due_at": due_at + step * n,
                    "rule": rule.key,
                    "status": "pending",
                    "note": "",
                    "created_at": now,
                }
                for n, eid in enumerate(enrollment_ids)
            ],
        )
    return [f"step:{eid}:{program.steps[0].key}:0" for eid in enrollment_ids]
