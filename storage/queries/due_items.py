"""Scheduled delivery's due rows: what the tick claims and closes, what the planner adds."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DueItem, DueStatus

TABLE: Table = DueItem.__table__  # type: ignore[assignment]
CHANGEABLE = ("status", "done_at", "note", "due_at", "ref", "slot_at", "rule")
"""The columns a sweep changes on a due row."""


async def due_enrollment_ids(
    session: AsyncSession, *, now: datetime, exclude: Collection[int], limit: int
) -> list[int]:
    """Enrollments with a pending row due by `now`, oldest due first, each once; the rows are
    locked (rows another process holds are skipped)."""
    query = select(DueItem.enrollment_id).where(
        DueItem.status == DueStatus.PENDING, DueItem.due_at <= now
    )
    if exclude:
        query = query.where(DueItem.enrollment_id.not_in(exclude))
    rows = await session.scalars(
        query.order_by(DueItem.due_at, DueItem.id).limit(limit).with_for_update(skip_locked=True)
    )
    return list(dict.fromkeys(rows))


async def due_items_of(
    session: AsyncSession, *, enrollment_id: int, now: datetime
) -> list[DueItem]:
    """One enrollment's pending rows due by `now`."""
    rows = await session.scalars(
        select(DueItem).where(
            DueItem.enrollment_id == enrollment_id,
            DueItem.status == DueStatus.PENDING,
            DueItem.due_at <= now,
        )
    )
    return list(rows)


async def locked_due_items(
    session: AsyncSession, *, enrollment_ids: Collection[int], now: datetime
) -> list[DueItem]:
    """These enrollments' pending rows due by `now`, oldest due first, locked until commit."""
    rows = await session.scalars(
        select(DueItem)
        .where(
            DueItem.enrollment_id.in_(enrollment_ids),
            DueItem.status == DueStatus.PENDING,
            DueItem.due_at <= now,
        )
        .order_by(DueItem.due_at, DueItem.id)
        .with_for_update()
    )
    return list(rows)


async def pending_slots(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> dict[int, DueItem]:
    """Each enrollment's pending lesson slot, by enrollment id."""
    rows = await session.scalars(
        select(DueItem).where(
            DueItem.enrollment_id.in_(enrollment_ids),
            DueItem.kind == "slot",
            DueItem.status == DueStatus.PENDING,
        )
    )
    return {s.enrollment_id: s for s in rows}


async def planned_deadlines(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> dict[int, set[str]]:
    """The refs of each enrollment's deadline reminders (any status), by enrollment id."""
    rows = await session.execute(
        select(DueItem.enrollment_id, DueItem.ref).where(
            DueItem.enrollment_id.in_(enrollment_ids), DueItem.kind == "deadline"
        )
    )
    planned: dict[int, set[str]] = {}
    for enrollment_id, ref in rows:
        planned.setdefault(int(enrollment_id), set()).add(str(ref))
    return planned


async def insert_due_items(session: AsyncSession, *, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new due rows in one Core INSERT executed for all of them (nothing when there are
    none). Core, not the ORM's bulk path: the rows are plain values. Not a multi-VALUES
    statement: psycopg parses a long query's placeholders on every call, which costs more than
    its pipelined executemany (SQLite's executemany is one C loop)."""
    if rows:
        await session.execute(insert(TABLE), list(rows))


async def write_due_items(session: AsyncSession, *, items: Sequence[DueItem]) -> None:
    """Write what a sweep changed on loaded due rows in one executemany through Core, and
    detach them from the session so its flush does not write them again."""
    items = [item for item in items if inspect(item).modified]
    if not items:
        return
    statement = (
        update(TABLE)
        .where(TABLE.c.id == bindparam("item_id"))
        .values({name: bindparam(f"new_{name}") for name in CHANGEABLE})
    )
    params = [
        {"item_id": item.id, **{f"new_{name}": getattr(item, name) for name in CHANGEABLE}}
        for item in items
    ]
    for item in items:
        session.expunge(item)
    await session.execute(statement, params)


async def delete_closed_due_items(session: AsyncSession, *, before: datetime) -> None:
    """Forget due rows closed before `before`."""
    await session.execute(
        delete(DueItem).where(DueItem.status != DueStatus.PENDING, DueItem.done_at < before)
    )
