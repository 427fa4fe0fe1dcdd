"""The points ledger and the totals kept up to date with every award."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BoardPreference, Person, PointsEntry, PointsTotal, TeamMember
from storage.prebuilt import INSERTS, per_dialect
from storage.queries.learner import known_teams_and_choice


def dialect_insert(session: AsyncSession) -> Any:
    """`insert` with ON CONFLICT for the session's database."""
    return INSERTS[session.get_bind().dialect.name]


_insert_entry = per_dialect(
    lambda insert: (
        insert(PointsEntry.__table__)
        .on_conflict_do_nothing(index_elements=["person_id", "key"])
        .returning(PointsEntry.__table__.c.id)
    )
)


@dataclass(frozen=True)
class NewEntry:
    workspace_id: str
    person_id: int
    program_id: str
    kind: str
    key: str
    points: int
    day: date
    earned_at: datetime
    item: str = ""
    quality: float = 0.0


async def add_entry(session: AsyncSession, *, entry: NewEntry) -> bool:
    """Store the entry unless its (person, key) exists; True when this call stored it.

    One atomic statement: on PostgreSQL a concurrent duplicate waits for the first
    transaction and then does nothing; a retry finds the committed row.
    """
    return (await session.execute(_insert_entry(session), entry.__dict__)).scalar() is not None


@lru_cache(maxsize=64)
def _upsert(rows: int) -> TextClause:
    """One statement adding to `rows` totals; plain SQL both backends share, compiled once."""
    values = ", ".join(f"(:ws, :b{i}, :p{i}, :pid, :pts, :lst)" for i in range(rows))
    return text(
        "INSERT INTO points_totals (workspace_id, board, period, person_id, points, listing) "  # noqa: S608
        f"VALUES {values} "
        "ON CONFLICT (workspace_id, board, period, person_id) "
        "DO UPDATE SET points = points_totals.points + excluded.points "
        "RETURNING board, period, points"
    )


async def add_to_totals(
    session: AsyncSession,
    *,
    workspace_id: str,
    person_id: int,
    boards: Sequence[str],
    periods: Sequence[str],
    points: int,
    listing: int,
) -> int:
    """Add `points` to every (board, period) total of the person in one statement.

    Returns the new value of the first (board, period): the organisation's all-time total.
    """
    pairs = [(board, period) for board in boards for period in periods]
    params: dict[str, object] = {"ws": workspace_id, "pid": person_id, "pts": points}
    params["lst"] = listing
    for i, (board, period) in enumerate(pairs):
        params[f"b{i}"], params[f"p{i}"] = board, period
    found = await session.execute(_upsert(len(pairs)), params)
    return next(int(p) for b, period, p in found if (b, period) == pairs[0])


async def total_of(
    session: AsyncSession, *, workspace_id: str, person_id: int, board: str, period: str
) -> int:
    found = await session.scalar(
        select(PointsTotal.points).where(
            PointsTotal.workspace_id == workspace_id,
            PointsTotal.board == board,
            PointsTotal.period == period,
            PointsTotal.person_id == person_id,
        )
    )
    return int(found or 0)


async def teams_and_choice(
    session: AsyncSession, *, person_id: int
) -> tuple[list[int], str | None]:
    """The person's teams and leaderboard choice, in one query (none when the turn loaded them)."""
    if (known := known_teams_and_choice(session, person_id=person_id)) is not None:
        return known
    rows = await session.execute(
        select(TeamMember.team_id, BoardPreference.choice)
        .select_from(Person)
        .outerjoin(TeamMember, TeamMember.person_id == Person.id)
        .outerjoin(BoardPreference, BoardPreference.person_id == Person.id)
        .where(Person.id == person_id)
    )
    teams, choice = [], None
    for team_id, found in rows:
        choice = found
        if team_id is not None:
            teams.append(int(team_id))
    return teams, choice


@dataclass(frozen=True)
class EntryRow:
    person_id: int
    program_id: str
    kind: str
    item: str
    points: int
    quality: float
    day: date
    earned_at: datetime


async def entries_of(
    session: AsyncSession,
    *,
    person_ids: Collection[int],
    since: datetime,
    until: datetime,
    program_id: str,
) -> list[EntryRow]:
    """Ledger entries of these people in [since, until) for one program, oldest first."""
    if not person_ids:
        return []
    rows = await session.execute(
        select(
            PointsEntry.person_id,
            PointsEntry.program_id,
            PointsEntry.kind,
            PointsEntry.item,
            PointsEntry.points,
            PointsEntry.quality,
            PointsEntry.day,
            PointsEntry.earned_at,
        )
        .where(
            PointsEntry.person_id.in_(list(person_ids)),
            PointsEntry.earned_at >= since,
            PointsEntry.earned_at < until,
            PointsEntry.program_id == program_id,
        )
        .order_by(PointsEntry.earned_at, PointsEntry.id)
    )
    return [EntryRow(*row) for row in rows]
