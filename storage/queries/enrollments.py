"""Enrollments: a person's, several by id under lock, several of a person by program."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enrollment


async def locked_enrollments(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> dict[int, Enrollment]:
    """These enrollments by id, locked until commit."""
    rows = await session.scalars(
        select(Enrollment).where(Enrollment.id.in_(enrollment_ids)).with_for_update()
    )
    return {e.id: e for e in rows}


async def enrollments_of(session: AsyncSession, *, person_id: int) -> list[Enrollment]:
    """A person's enrollments, most recently active first."""
    rows = await session.scalars(
        select(Enrollment)
        .where(Enrollment.person_id == person_id)
        .order_by(Enrollment.touched_at.desc(), Enrollment.id.desc())
    )
    return list(rows)


async def enrollments_in(
    session: AsyncSession, *, person_id: int, program_ids: Collection[str]
) -> dict[str, Enrollment]:
    """The person's enrollments in these programs, by program id."""
    rows = await session.scalars(
        select(Enrollment).where(
            Enrollment.person_id == person_id, Enrollment.program_id.in_(program_ids)
        )
    )
    return {e.program_id: e for e in rows}
