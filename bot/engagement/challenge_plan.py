"""A challenge's timeline as due rows (announce, start, progress, reminder, end) and its facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.engagement.challenge_views import Facts
from storage.models import Challenge
from storage.queries import engagement as q

EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
REMINDER_BEFORE = timedelta(days=1)


def timeline(challenge: Challenge, now: datetime) -> list[tuple[str, str, datetime]]:
    """(kind, key, due) of every post the challenge makes, in order."""
    base = f"challenge:{challenge.id}"
    found = [
        ("announce", f"{base}:announce", now),
        ("start", f"{base}:start", challenge.starts_at),
    ]
    step = EVERY.get(challenge.progress)
    if step is not None:
        moment, n = challenge.starts_at + step, 1
        while moment < challenge.ends_at - REMINDER_BEFORE:
            found.append(("progress", f"{base}:progress:{n}", moment))
            moment, n = moment + step, n + 1
    if challenge.ends_at - challenge.starts_at >= 2 * REMINDER_BEFORE:
        found.append(("reminder", f"{base}:reminder", challenge.ends_at - REMINDER_BEFORE))
    found.append(("end", f"{base}:end", challenge.ends_at))
    return found


def _row(challenge: Challenge, kind: str, key: str, due: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "workspace_id": challenge.workspace_id,
        "kind": kind,
        "challenge_id": challenge.id,
        "channel": challenge.channel,
        "program_id": challenge.program_id,
        "due_at": due,
    }


async def plan_posts(session: AsyncSession, challenge: Challenge, now: datetime) -> int:
    rows = [_row(challenge, k, key, due) for k, key, due in timeline(challenge, now)]
    return await q.plan_due(session, rows=rows)


async def refresh_soon(
    session: AsyncSession, challenge: Challenge, now: datetime, *, kind: str = "refresh"
) -> None:
    """Edit the parent post soon: joins within a minute share one edit, at the minute's end."""
    due, suffix = now, ""
    if kind == "refresh":
        due = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        suffix = f":{due:%Y%m%d%H%M}"
    key = f"challenge:{challenge.id}:{kind}{suffix}"
    await q.plan_due(session, rows=[_row(challenge, kind, key, due)])


async def facts_of(session: AsyncSession, catalog: Catalog, challenge: Challenge) -> Facts:
    program = catalog.get(challenge.program_id)
    target = program.title if program is not None else challenge.program_id
    if challenge.skill and program is not None:
        skill = next((s.name for s in program.meta.skills if s.id == challenge.skill), "")
        target = f"{target} (skill: {skill or challenge.skill})"
    return Facts(
        id=challenge.id,
        goal=challenge.goal,
        lead=challenge.lead_name or "your team lead",
        target=target,
        scoring=challenge.scoring,
        daily_cap=challenge.daily_cap,
        starts_at=challenge.starts_at,
        ends_at=challenge.ends_at,
        prize=challenge.prize,
        status=challenge.status,
        members=await q.member_count(session, challenge_id=challenge.id),
    )
