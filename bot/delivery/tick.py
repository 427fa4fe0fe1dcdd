"""The delivery tick: sweep due rows in batches, each batch one transaction with its outbox rows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.scoring import Scorer
from bot.content import Catalog
from bot.core.ports import Clock
from bot.delivery.facts import to_facts
from bot.delivery.notices import queue_notices
from bot.delivery.options import DeliveryOptions
from bot.delivery.outbox import platform_of, queued
from bot.delivery.repetition import due_cards
from bot.delivery.shared import SharedMessages
from bot.delivery.sweep import Batch, Outgoing, overdue, step_key, sweep
from bot.learning.hooks import Hooks
from storage.db import Database
from storage.models import DueItem, Enrollment
from storage.queries.due_items import (
    due_enrollment_ids,
    due_items_of,
    insert_due_items,
    locked_due_items,
    write_due_items,
)
from storage.queries.enrollment_facts import facts_rows
from storage.queries.enrollments import locked_enrollments
from storage.queries.outbox import existing_outbox_keys, insert_outbox_rows, store_templates
from storage.queries.people import identities_by_person, people_by_id
from storage.queries.recall import enrollments_with_cards

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    enrollments: int = 0
    messages: int = 0
    failed: list[int] = field(default_factory=list)


@dataclass
class Sweeper:
    """Runs ticks for one process (the scheduler leader)."""

    database: Database
    catalog: Catalog
    hooks: Hooks
    scorer: Scorer
    options: DeliveryOptions
    clock: Clock
    worker: str
    on_queued: Callable[[], None] = lambda: None
    shared: SharedMessages = field(default_factory=SharedMessages)
    """Templates of the messages many learners share, each dumped once."""

    async def tick(self) -> TickResult:
        """Sweep everything due now; each batch commits its journey changes and outbox rows."""
        result, now = TickResult(), self.clock.now()
        async with self.database.transaction() as session:
            if notices := await queue_notices(session, now=now, worker=self.worker):
                result.messages += notices
                self.on_queued()
        while True:
            async with self.database.transaction() as session:
                ids = await self._due(session, now, exclude=result.failed)
            if not ids:
                return result
            try:
                result.messages += await self._batch(ids, now)
            except Exception:
                log.warning("tick batch of %d failed; sweeping one by one", len(ids), exc_info=True)
                result.messages += await self._one_by_one(ids, now, result)
            result.enrollments += len(ids)
            self.on_queued()

    async def _due(self, session: AsyncSession, now: datetime, exclude: list[int]) -> list[int]:
        return await due_enrollment_ids(session, now=now, exclude=exclude, limit=self.options.batch)

    async def _one_by_one(self, ids: list[int], now: datetime, result: TickResult) -> int:
        count = 0
        for enrollment_id in ids:
            try:
                count += await self._batch([enrollment_id], now)
            except Exception:
                log.exception("delivery tick failed for enrollment %s", enrollment_id)
                result.failed.append(enrollment_id)
                await self._postpone(enrollment_id, now)
        return count

    async def _postpone(self, enrollment_id: int, now: datetime) -> None:
        async with self.database.transaction() as session:
            for item in await due_items_of(session, enrollment_id=enrollment_id, now=now):
                item.due_at, item.note = now + timedelta(hours=1), "failed; retried in an hour"

    async def _batch(self, ids: list[int], now: datetime) -> int:
        self.shared.take_used()  # what a failed batch left behind
        async with self.database.transaction() as session:
            batch = await self._load(session, ids, now)
            offsets: dict[str, timedelta] = {}
            count = 0
            for enrollment_id in ids:
                if enrollment_id not in batch.enrollments:
                    continue
                for out in await sweep(batch, enrollment_id):
                    count += self._queue(batch, enrollment_id, out, offsets)
                overdue(batch.items.get(enrollment_id, []), now)
                await asyncio.sleep(0)  # let due sends start on time while a batch is built
            await write_due_items(session, items=[i for b in batch.items.values() for i in b])
            await insert_due_items(session, rows=batch.inserts)
            await store_templates(session, templates=self.shared.take_used(), now=now)
            await insert_outbox_rows(session, rows=batch.outbox)
            return count

    def _queue(
        self, batch: Batch, enrollment_id: int, out: Outgoing, offsets: dict[str, timedelta]
    ) -> int:
        enrollment = batch.enrollments[enrollment_id]
        identity = batch.identities.get(enrollment.person_id)
        if identity is None:
            log.warning(
                "enrollment %s has no identity in %s", enrollment_id, enrollment.workspace_id
            )
            return 0
        platform = platform_of(identity)
        limits = self.options.limits.get(platform)
        offset = offsets.get(identity, timedelta(0))
        offsets[identity] = offset + timedelta(seconds=limits.spacing if limits else 0.0)
        batch.outbox.append(
            queued(
                key=out.key,
                identity=identity,
                workspace_id=enrollment.workspace_id,
                message=out.message,
                kind=out.kind,
                due_at=batch.now + offset,
                worker=self.worker,
                enrollment_id=enrollment_id,
                stored=self.shared.stored(out.message, enrollment_id),
            )
        )
        return 1

    async def _load(self, session: AsyncSession, ids: list[int], now: datetime) -> Batch:
        facts = {
            f.enrollment_id: f for f in map(to_facts, await facts_rows(session, enrollment_ids=ids))
        }
        enrollments = await locked_enrollments(session, enrollment_ids=ids)
        person_ids = {e.person_id for e in enrollments.values()}
        people = await people_by_id(session, person_ids=person_ids)
        items: dict[int, list[DueItem]] = {}
        for item in await locked_due_items(session, enrollment_ids=ids, now=now):
            items.setdefault(item.enrollment_id, []).append(item)
        carded = await enrollments_with_cards(session, enrollment_ids=ids)
        batch = Batch(
            session=session,
            now=now,
            options=self.options,
            catalog=self.catalog,
            hooks=self.hooks,
            scorer=self.scorer,
            clock=self.clock,
            facts=facts,
            enrollments=enrollments,
            people=people,
            items=items,
            sent_keys=await existing_outbox_keys(
                session, keys=[step_key(e) for e in enrollments.values()]
            ),
            cards=await due_cards(
                session, enrollment_ids=ids, now=now, per_slot=self.options.recalls_per_slot
            ),
            carded=carded,
        )
        batch.identities = await _identities(session, enrollments)
        return batch


async def _identities(session: AsyncSession, enrollments: dict[int, Enrollment]) -> dict[int, str]:
    """Each person's identity on the platform of their enrollment's workspace."""
    wanted = {e.person_id: e.workspace_id for e in enrollments.values()}
    found: dict[int, str] = {}
    for person_id, identities in (await identities_by_person(session, person_ids=wanted)).items():
        for identity in identities:
            if (
                identity.startswith(wanted[person_id] + ":")
                and ":" not in identity[len(wanted[person_id]) + 1 :]
            ):
                found[person_id] = identity
    return found
