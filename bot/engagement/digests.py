"""The weekly leaderboard digest, posted to each channel bound for digests, and pruning."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.errors import Unreachable
from bot.core.messengers import Messengers
from bot.engagement import boards
from bot.engagement.board_views import board_message
from bot.engagement.periods import (
    ORG,
    next_weekly,
    oldest_kept,
    previous_period,
    program_board,
)
from storage.db import Database
from storage.queries import engagement as q
from storage.queries.engagement import DueRow
from storage.queries.org import EVERY_PROGRAM, bindings_for

PRUNE_AT = time(3, 0)


async def plan_recurring(session: AsyncSession, *, now: datetime, weekday: int, at: time) -> int:
    """The next weekly digest of every digests binding, and tonight's pruning, as due rows."""
    due = next_weekly(now, weekday, at)
    period = previous_period("week", due)
    bindings = await bindings_for(session, purpose="digests")
    rows: list[dict[str, Any]] = [
        {
            "key": f"digest:{ws}:{program}:{channel}:{period}",
            "workspace_id": ws,
            "kind": "digest",
            "channel": channel,
            "program_id": program,
            "period": period,
            "due_at": due,
        }
        for ws, program, channel in bindings
    ]
    tonight = datetime.combine(now.date(), PRUNE_AT, tzinfo=now.tzinfo)
    if tonight <= now:
        tonight += timedelta(days=1)
    rows.append(
        {
            "key": f"prune:{tonight:%Y-%m-%d}",
            "workspace_id": "*",
            "kind": "prune",
            "due_at": tonight,
        }
    )
    return await q.plan_due(session, rows=rows)


class Digests:
    def __init__(self, database: Database, catalog: Catalog, messengers: Messengers) -> None:
        self.database, self.catalog, self.messengers = database, catalog, messengers

    async def run(self, row: DueRow, now: datetime) -> str | None:
        """Post last week's board in the bound channel; nothing when nobody is on it."""
        program = self.catalog.get(row.program_id) if row.program_id != EVERY_PROGRAM else None
        board = program_board(program.id) if program is not None else ORG
        title = program.title if program is not None else "everyone"
        async with self.database.transaction() as session:
            top = await boards.top(
                session, workspace_id=row.workspace_id, board=board, period=row.period
            )
        if not top.rows:
            return None
        post = board_message(top, title=title, window="last week", where_am_i=True, key=row.key)
        messenger = self.messengers.for_address(row.channel)
        if messenger is None:
            raise Unreachable(f"{row.channel}: no messenger for this platform is running")
        return await messenger.post_channel(row.channel, post, key=row.key)

    async def prune(self, now: datetime) -> int:
        week, month = oldest_kept(now)
        async with self.database.transaction() as session:
            return await q.prune_periods(session, oldest_week=week, oldest_month=month)
