"""Leaderboard reads on the maintained totals, and learners' board choices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BoardPreference, Person, PointsTotal
from storage.models.engagement import LISTING_DEFAULT, LISTING_OFF, LISTING_OPTED_IN
from storage.queries.learner import forget_choice
from storage.types import utcnow


def listing_of(choice: str | None) -> int:
    """What a board choice stores in `PointsTotal.listing`."""
    if choice == "off":
        return LISTING_OFF
    return LISTING_OPTED_IN if choice in ("named", "anonymous") else LISTING_DEFAULT


def _board(
    workspace_id: str, board: str, period: str, min_listing: int
) -> list[ColumnElement[bool]]:
    return [
        PointsTotal.workspace_id == workspace_id,
        PointsTotal.board == board,
        PointsTotal.period == period,
        PointsTotal.listing >= min_listing,
    ]


async def top_totals(
    session: AsyncSession,
    *,
    workspace_id: str,
    board: str,
    period: str,
    min_listing: int,
    limit: int,
) -> list[tuple[int, int]]:
    """(person id, points), best first; ties in a stable order."""
    rows = await session.execute(
        select(PointsTotal.person_id, PointsTotal.points)
        .where(*_board(workspace_id, board, period, min_listing), PointsTotal.points > 0)
        .order_by(PointsTotal.points.desc(), PointsTotal.person_id)
        .limit(limit)
    )
    return [(int(p), int(points)) for p, points in rows]


async def standing_of(
    session: AsyncSession, *, workspace_id: str, board: str, period: str, person_id: int
) -> tuple[int, str | None]:
    """(the person's points on the board, their board choice), in one query."""
    points = (
        select(PointsTotal.points)
        .where(
            PointsTotal.workspace_id == workspace_id,
            PointsTotal.board == board,
            PointsTotal.period == period,
            PointsTotal.person_id == person_id,
        )
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(points, BoardPreference.choice)
            .select_from(Person)
            .outerjoin(BoardPreference, BoardPreference.person_id == Person.id)
            .where(Person.id == person_id)
        )
    ).first()
    if row is None:
        return 0, None
    return int(row[0] or 0), row[1]


async def count_above(
    session: AsyncSession,
    *,
    workspace_id: str,
    board: str,
    period: str,
    min_listing: int,
    points: int,
) -> int:
    """How many listed people have more than `points` (a rank is this plus one)."""
    found = await session.scalar(
        select(func.count())
        .select_from(PointsTotal)
        .where(*_board(workspace_id, board, period, min_listing), PointsTotal.points > points)
    )
    return int(found or 0)


@dataclass(frozen=True)
class Holder:
    name: str
    choice: str | None


async def holders(session: AsyncSession, *, person_ids: Collection[int]) -> dict[int, Holder]:
    """Display names and board choices of these people."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name, BoardPreference.choice)
        .outerjoin(BoardPreference, BoardPreference.person_id == Person.id)
        .where(Person.id.in_(list(person_ids)))
    )
    return {pid: Holder(name or "", choice) for pid, name, choice in rows}


async def set_board_choice(session: AsyncSession, *, person_id: int, choice: str | None) -> None:
    """Store the choice (None: back to the workspace's policy) and relist the person's totals."""
    forget_choice(session, person_id=person_id)
    if choice is None:
        await session.execute(delete(BoardPreference).where(BoardPreference.person_id == person_id))
    else:
        found = await session.get(BoardPreference, person_id)
        if found is None:
            session.add(BoardPreference(person_id=person_id, choice=choice))
        else:
            found.choice, found.updated_at = choice, utcnow()
    await session.execute(
        update(PointsTotal)
        .where(PointsTotal.person_id == person_id)
        .values(listing=listing_of(choice))
    )
    await session.flush()


async def prune_periods(session: AsyncSession, *, oldest_week: str, oldest_month: str) -> int:
    """Drop week and month totals older than the ones leaderboards still read."""
    weeks = await session.execute(
        delete(PointsTotal).where(PointsTotal.period.like("w%"), PointsTotal.period < oldest_week)
    )
    months = await session.execute(
        delete(PointsTotal).where(PointsTotal.period.like("m%"), PointsTotal.period < oldest_month)
    )
    return int(getattr(weeks, "rowcount", 0) or 0) + int(getattr(months, "rowcount", 0) or 0)
