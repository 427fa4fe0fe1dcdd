"""Leaderboards: the top of a board with ties and privacy applied, and one person's rank."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engagement.privacy import Visibility, visibility
from storage.queries import engagement as q

TOP = 10


@dataclass(frozen=True)
class Row:
    rank: int
    name: str
    points: int
    person_id: int


@dataclass(frozen=True)
class Board:
    workspace_id: str
    board: str
    period: str
    rows: tuple[Row, ...]
    listed: int
    """How many are listed, counted up to twice the limit."""
    limit: int = TOP


@dataclass(frozen=True)
class Rank:
    points: int
    rank: int | None
    """None with no points on the board yet."""
    listed: bool
    """Whether the person appears on the board (their choice and the policy)."""
    left: bool = False
    """They chose to leave the boards (`leaderboard leave`), rather than never joined."""


def shown_count(listed: int, limit: int) -> int:
    """How many rows a board shows: never more than the top half, so never the bottom."""
    return min(limit, listed // 2)


async def top(
    session: AsyncSession,
    *,
    workspace_id: str,
    board: str,
    period: str,
    limit: int = TOP,
    seen: Visibility | None = None,
) -> Board:
    """The top of a board, ranked with ties ("1, 2, 2, 4"), names per each person's choice."""
    seen = seen or await visibility(session, workspace_id=workspace_id)
    # The top twice over in one query: how many there are decides how many are shown.
    found = await q.top_totals(
        session,
        workspace_id=workspace_id,
        board=board,
        period=period,
        min_listing=seen.min_listing,
        limit=2 * limit,
    )
    listed = len(found)
    found = found[: shown_count(listed, limit)]
    names = await q.holders(session, person_ids=[p for p, _ in found])
    rows: list[Row] = []
    for index, (person_id, points) in enumerate(found):
        rank = rows[-1].rank if rows and rows[-1].points == points else index + 1
        holder = names.get(person_id, q.Holder("", None))
        rows.append(Row(rank, seen.shown(holder), points, person_id))
    return Board(workspace_id, board, period, tuple(rows), listed, limit)


async def rank_of(
    session: AsyncSession,
    *,
    workspace_id: str,
    board: str,
    period: str,
    person_id: int,
    seen: Visibility | None = None,
) -> Rank:
    """Where one person stands among those listed (counting themselves if they are not)."""
    seen = seen or await visibility(session, workspace_id=workspace_id)
    points, choice = await q.standing_of(
        session, workspace_id=workspace_id, board=board, period=period, person_id=person_id
    )
    listed, left = seen.listed(choice), choice == "off"
    if points <= 0:
        return Rank(0, None, listed, left)
    above = await q.count_above(
        session,
        workspace_id=workspace_id,
        board=board,
        period=period,
        min_listing=seen.min_listing,
        points=points,
    )
    return Rank(points, above + 1, listed, left)
