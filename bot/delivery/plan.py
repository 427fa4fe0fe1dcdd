"""The planner: each open enrollment gets its next slot and deadline reminders as due rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.ports import Clock
from bot.delivery.facts import Facts, to_facts
from bot.delivery.options import DeliveryOptions
from bot.delivery.rules import Rule
from bot.delivery.slots import local_instant
from storage.db import Database
from storage.models import UNDERWAY, DueItem, DueStatus, EnrollmentStatus
from storage.queries.due_items import insert_due_items, pending_slots, planned_deadlines
from storage.queries.enrollment_facts import plannable_facts_rows
from storage.queries.recall import enrollments_with_cards

log = logging.getLogger(__name__)
PAGE = 500


@dataclass
class PlanResult:
    slots: int = 0
    replanned: int = 0
    dropped: int = 0
    deadlines: int = 0


def due_row(
    *,
    workspace_id: str,
    enrollment_id: int,
    kind: str,
    ref: str,
    slot_at: datetime,
    due_at: datetime,
    rule: str,
    now: datetime,
) -> dict[str, Any]:
    """A new due row's values, for one bulk insert per transaction."""
    return {
        "workspace_id": workspace_id,
        "enrollment_id": enrollment_id,
        "kind": kind,
        "ref": ref,
        "slot_at": slot_at,
        "due_at": due_at,
        "rule": rule,
        "status": DueStatus.PENDING,
        "note": "",
        "created_at": now,
    }


def new_slot(
    facts: Facts, rule: Rule, now: datetime, after_slot: datetime | None = None
) -> dict[str, Any]:
    """The enrollment's next slot (after `after_slot`, else today's if still ahead)."""
    slot, due = rule.upcoming(after_slot or now - timedelta(days=1), now)
    return due_row(
        workspace_id=facts.workspace_id,
        enrollment_id=facts.enrollment_id,
        kind="slot",
        ref=f"{slot:%Y%m%dT%H%M%S}@{now:%Y%m%d%H%M%S%f}",
        slot_at=slot,
        due_at=due,
        rule=rule.key,
        now=now,
    )


def deadline_ref(due: date, days: int) -> str:
    return f"{due.isoformat()}:{days}"


def deadline_items(
    facts: Facts, rule: Rule, now: datetime, options: DeliveryOptions, have: set[str]
) -> list[dict[str, Any]]:
    """Reminders some days before the cohort's due date, at the learner's lesson time
    (one the planner finds a little late, within the catch-up grace, still goes out)."""
    if facts.due_date is None or facts.status not in (
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.FINISHED,
    ):
        return []
    minutes = rule.cadence.at.hour * 60 + rule.cadence.at.minute
    items = []
    for days in options.deadline_days:
        ref = deadline_ref(facts.due_date, days)
        meant = local_instant(facts.due_date - timedelta(days=days), minutes, rule.zone)
        if ref in have or meant < now - options.grace:
            continue
        items.append(
            due_row(
                workspace_id=facts.workspace_id,
                enrollment_id=facts.enrollment_id,
                kind="deadline",
                ref=ref,
                slot_at=meant,
                due_at=rule.deliver_at(meant),
                rule=rule.key,
                now=now,
            )
        )
    return items


async def _page(
    session: AsyncSession, after_id: int
) -> tuple[list[Facts], dict[int, DueItem], set[int], dict[int, set[str]]]:
    rows = await plannable_facts_rows(
        session, after_id=after_id, limit=PAGE, statuses=(*UNDERWAY, EnrollmentStatus.FINISHED)
    )
    facts = [to_facts(r) for r in rows]
    ids = [f.enrollment_id for f in facts]
    if not ids:
        return [], {}, set(), {}
    slots = await pending_slots(session, enrollment_ids=ids)
    with_cards = await enrollments_with_cards(session, enrollment_ids=ids)
    planned = await planned_deadlines(session, enrollment_ids=ids)
    return facts, slots, with_cards, planned


def slot_wanted(facts: Facts, has_cards: bool) -> bool:
    """Active and paused enrollments keep a slot; finished ones while reviews are open."""
    return facts.status in UNDERWAY or has_cards


async def plan(
    database: Database, catalog: Catalog, options: DeliveryOptions, clock: Clock
) -> PlanResult:
    """Create missing slots, re-plan slots whose rule changed, add deadline reminders."""
    result, after_id = PlanResult(), 0
    while True:
        now = clock.now()
        async with database.transaction() as session:
            facts, slots, with_cards, deadlines = await _page(session, after_id)
            if not facts:
                return result
            after_id = facts[-1].enrollment_id
            rows: list[dict[str, Any]] = []
            for f in facts:
                rule = f.rule(catalog, options.default_window)
                slot = slots.get(f.enrollment_id)
                wanted = slot_wanted(f, f.enrollment_id in with_cards)
                if slot is None and wanted:
                    rows.append(new_slot(f, rule, now))
                    result.slots += 1
                elif slot is not None and not wanted:
                    slot.status, slot.done_at, slot.note = (
                        DueStatus.SKIPPED,
                        now,
                        "enrollment closed",
                    )
                    result.dropped += 1
                elif slot is not None and slot.rule != rule.key:
                    fresh = new_slot(f, rule, now)
                    slot.ref, slot.slot_at, slot.due_at = (
                        fresh["ref"],
                        fresh["slot_at"],
                        fresh["due_at"],
                    )
                    slot.rule = rule.key
                    result.replanned += 1
                have = deadlines.get(f.enrollment_id, set())
                items = deadline_items(f, rule, now, options, have)
                rows += items
                result.deadlines += len(items)
            await insert_due_items(session, rows=rows)
