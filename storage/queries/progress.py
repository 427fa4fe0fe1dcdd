"""Step outcomes (`step_progress`): where enrollments stand, one step's outcome, counts."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StepProgress


async def step_outcomes(session: AsyncSession, *, enrollment_id: int) -> dict[str, StepProgress]:
    """The enrollment's step outcomes, by step key."""
    rows = await session.scalars(
        select(StepProgress).where(StepProgress.enrollment_id == enrollment_id)
    )
    return {row.step_key: row for row in rows}


async def step_outcomes_of(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> dict[int, dict[str, StepProgress]]:
    """Several enrollments' step outcomes in one query: by enrollment id, then step key
    (an enrollment without any maps to an empty dict)."""
    found: dict[int, dict[str, StepProgress]] = {i: {} for i in enrollment_ids}
    if not found:
        return found
    rows = await session.scalars(
        select(StepProgress).where(StepProgress.enrollment_id.in_(enrollment_ids))
    )
    for row in rows:
        found[row.enrollment_id][row.step_key] = row
    return found


async def step_outcome(
    session: AsyncSession, *, enrollment_id: int, step_key: str
) -> StepProgress | None:
    """The outcome of one step of an enrollment, if it has one."""
    return await session.scalar(
        select(StepProgress).where(
            StepProgress.enrollment_id == enrollment_id, StepProgress.step_key == step_key
        )
    )


async def has_outcome(session: AsyncSession, *, enrollment_id: int, step_key: str) -> bool:
    """Whether one step of an enrollment has an outcome (reads only its id)."""
    found = await session.scalar(
        select(StepProgress.id).where(
            StepProgress.enrollment_id == enrollment_id,
            StepProgress.step_key == step_key,
        )
    )
    return found is not None


async def outcome_count(session: AsyncSession, *, enrollment_id: int) -> int:
    """How many steps of the enrollment have an outcome."""
    done = await session.scalar(
        select(func.count()).where(StepProgress.enrollment_id == enrollment_id)
    )
    return int(done or 0)


async def outcome_score(
    session: AsyncSession, *, enrollment_id: int, step_key: str
) -> tuple[float | None, float | None] | None:
    """(score, max score) of one step's outcome, if it has one."""
    row = (
        await session.execute(
            select(StepProgress.score, StepProgress.max_score).where(
                StepProgress.enrollment_id == enrollment_id, StepProgress.step_key == step_key
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def delete_outcomes(
    session: AsyncSession, *, enrollment_id: int, step_keys: Collection[str]
) -> None:
    """Forget the outcomes of these steps of an enrollment."""
    await session.execute(
        delete(StepProgress).where(
            StepProgress.enrollment_id == enrollment_id,
            StepProgress.step_key.in_(step_keys),
        )
    )
