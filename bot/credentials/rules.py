"""Award rules: the passing rules hold (quizzes, approved portfolio) and prerequisites are held."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog, Program
from bot.learning.progress import standing
from storage.models import Enrollment
from storage.queries import badges as q


async def passing_rules_hold(
    session: AsyncSession, program: Program, enrollment: Enrollment
) -> bool:
    """Every required quiz (portfolio quizzes pass once their work is approved) is passed."""
    return (await standing(session, program=program, enrollment=enrollment)).complete


async def missing_prerequisites(
    session: AsyncSession, catalog: Catalog, *, person_id: int, program: Program, now: datetime
) -> list[str]:
    """The names of the prerequisite badges the person does not hold (valid) yet."""
    requires = program.meta.badge.requires
    if not requires:
        return []
    latest = await q.latest_awards(session, person_id=person_id, program_ids=requires)
    missing = []
    for required in requires:
        award = latest.get(required)
        held = (
            award is not None
            and award.revoked_at is None
            and (award.expires_at is None or award.expires_at > now)
        )
        if not held:
            other = catalog.get(required)
            missing.append(other.meta.badge.name if other else required)
    return missing


def dependents(catalog: Catalog, program_id: str) -> list[Program]:
    """Programs whose badge requires the badge of `program_id`."""
    return [p for p in catalog if program_id in p.meta.badge.requires]
