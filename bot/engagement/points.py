"""Awarding points once: the ledger entry, the totals it adds to, and any level reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.rules import zone_of
from bot.engagement.levels import Level, reached
from bot.engagement.periods import boards_for, periods_for
from storage.queries import engagement as q


@dataclass(frozen=True)
class Learner:
    """Who earns: enough of a person to file points (plain data, not an ORM row)."""

    id: int
    workspace_id: str
    timezone: str = ""


@dataclass(frozen=True)
class Award:
    kind: str
    key: str
    """Unique per learner: the same key is awarded once, however often it is asked for."""
    points: int
    program_id: str = ""
    item: str = ""
    quality: float = 0.0


@dataclass(frozen=True)
class Awarded:
    """Whether this call stored the award, and the learner's all-time total around it."""

    stored: bool
    before: int
    after: int

    @property
    def level(self) -> Level | None:
        return reached(self.before, self.after) if self.stored else None


async def award(session: AsyncSession, *, learner: Learner, award: Award, at: datetime) -> Awarded:
    """File `award` for the learner unless its key was filed before; keep the totals.

    The ledger insert comes first (it takes the write lock on SQLite); only the call that
    stored the entry adds to the totals, so retries and races count once.
    """
    entry = q.NewEntry(
        workspace_id=learner.workspace_id,
        person_id=learner.id,
        program_id=award.program_id,
        kind=award.kind,
        key=award.key[:200],
        points=award.points,
        day=at.astimezone(zone_of(learner.timezone)).date(),
        earned_at=at,
        item=award.item[:140],
        quality=round(award.quality, 4),
    )
    if not await q.add_entry(session, entry=entry):
        return Awarded(False, 0, 0)
    if award.points <= 0:
        return Awarded(True, 0, 0)
    teams, choice = await q.teams_and_choice(session, person_id=learner.id)
    after = await q.add_to_totals(
        session,
        workspace_id=learner.workspace_id,
        person_id=learner.id,
        boards=boards_for(award.program_id, teams),
        periods=periods_for(at),
        points=award.points,
        listing=q.listing_of(choice),
    )
    return Awarded(True, after - award.points, after)


async def award_all(
    session: AsyncSession, *, learner: Learner, awards: list[Award], at: datetime
) -> Level | None:
    """Several awards for one event; the highest new level reached, if any."""
    level: Level | None = None
    for one in awards:
        done = await award(session, learner=learner, award=one, at=at)
        if done.level is not None:
            level = done.level
    return level
