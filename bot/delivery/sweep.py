"""One enrollment's due rows become messages: the slot's step, recalls, a nudge, a deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment.scoring import Scorer
from bot.content import Catalog, Program
from bot.core.copy import speaking
from bot.core.ports import Clock
from bot.core.views import Context, Message
from bot.delivery.facts import Facts
from bot.delivery.messages import caught_up, deadline_message, nudge_message, scheduled
from bot.delivery.options import DeliveryOptions
from bot.delivery.plan import due_row, new_slot, slot_wanted
from bot.delivery.repetition import ask, recall_message
from bot.delivery.rules import Rule
from bot.learning.hooks import Hooks
from bot.learning.scheduled import scheduled_step, step_ref
from bot.learning.turn import Turn
from storage.models import (
    DueItem,
    DueStatus,
    Enrollment,
    EnrollmentStatus,
    Person,
    RecallCard,
    RecallStatus,
)
from storage.queries.progress import outcome_count


@dataclass(frozen=True)
class Outgoing:
    kind: str
    key: str
    message: Message


@dataclass
class Batch:
    """What one tick transaction loaded for a batch of enrollments."""

    session: AsyncSession
    now: datetime
    options: DeliveryOptions
    catalog: Catalog
    hooks: Hooks
    scorer: Scorer
    clock: Clock
    facts: dict[int, Facts]
    enrollments: dict[int, Enrollment]
    people: dict[int, Person]
    items: dict[int, list[DueItem]]
    sent_keys: set[str]
    cards: dict[int, list[RecallCard]]
    carded: set[int]
    inserts: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    """New outbox rows, inserted in bulk with the batch."""
    """New due rows (next slots, reminders), inserted in bulk with the batch."""
    identities: dict[int, str] = field(default_factory=dict)
    """Person id → their identity on the enrollment's platform."""


def step_key(enrollment: Enrollment) -> str:
    """The outbox key of the step at the cursor: one scheduled delivery per (enrollment, step)."""
    return f"step:{enrollment.id}:{step_ref(enrollment)}"


def _close(item: DueItem, now: datetime, status: DueStatus, note: str = "") -> None:
    item.status, item.done_at, item.note = status, now, note[:200]


async def _steps_left(session: AsyncSession, program: Program, enrollment_id: int) -> int:
    done = await outcome_count(session, enrollment_id=enrollment_id)
    return max(len(program.steps) - done, 1)


def nudge_row(
    enrollment: Enrollment, rule: Rule, delivered: datetime, number: int, after: timedelta
) -> dict[str, Any]:
    """Reminder `number` of the step delivered at `delivered`: 1, 2, 4… times `after` later."""
    meant = delivered + after * 2 ** (number - 1)
    return due_row(
        workspace_id=enrollment.workspace_id,
        enrollment_id=enrollment.id,
        kind="nudge",
        ref=f"{step_ref(enrollment)}:{number}@{delivered:%Y%m%d%H%M%S}",
        slot_at=meant,
        due_at=rule.deliver_at(meant),
        rule=rule.key,
        now=delivered,
    )


async def _step(
    b: Batch, enrollment: Enrollment, rule: Rule, program: Program, slot: DueItem
) -> list[Outgoing]:
    key = step_key(enrollment)
    if (
        enrollment.status != EnrollmentStatus.ACTIVE
        or not enrollment.cursor_step
        or key in b.sent_keys
    ):
        return []
    person = b.people[enrollment.person_id]
    turn = Turn(b.session, person, b.catalog, b.hooks, b.scorer, clock=b.clock)
    with speaking(person.locale):
        reply = await scheduled_step(turn, enrollment)
    if reply is None:
        return []
    first, *rest = reply.messages
    rhythm = str(rule.cadence)
    waiting = 1
    if b.now - slot.due_at > b.options.grace:
        missed = rule.missed(slot.slot_at, b.now)
        waiting = min(missed, await _steps_left(b.session, program, enrollment.id))
    first = (
        caught_up(first, waiting=waiting, rhythm=rhythm)
        if waiting > 1
        else scheduled(first, rhythm=rhythm)
    )
    b.sent_keys.add(key)
    if b.options.nudges:
        b.inserts.append(nudge_row(enrollment, rule, b.now, 1, b.options.nudge_after))
    out = [Outgoing("lesson", key, first)]
    out += [Outgoing("lesson", f"{key}#{n}", m) for n, m in enumerate(rest, 2)]
    return out


async def _slot(
    b: Batch, f: Facts, enrollment: Enrollment, rule: Rule, program: Program | None, slot: DueItem
) -> list[Outgoing]:
    if slot.rule != rule.key:
        fresh = new_slot(f, rule, b.now)
        slot.ref, slot.slot_at, slot.due_at = fresh["ref"], fresh["slot_at"], fresh["due_at"]
        slot.rule = rule.key
        return []
    wanted = slot_wanted(f, enrollment.id in b.carded)
    if not wanted or enrollment.status == EnrollmentStatus.PAUSED or program is None:
        why = "paused" if enrollment.status == EnrollmentStatus.PAUSED else "nothing to deliver"
        _close(slot, b.now, DueStatus.SKIPPED, why)
        if wanted:
            b.inserts.append(new_slot(f, rule, b.now, slot.slot_at))
        return []
    _close(slot, b.now, DueStatus.DONE)
    b.inserts.append(new_slot(f, rule, b.now, slot.slot_at))
    out = await _step(b, enrollment, rule, program, slot)
    for card in b.cards.get(enrollment.id, []):
        round_ = ask(card, b.now)
        shown = recall_message(program, card)
        if shown is None:
            card.status = RecallStatus.RETIRED
        else:
            out.append(Outgoing("recall", f"recall:{card.id}:{round_}", shown))
    return out


def _nudge(
    b: Batch, enrollment: Enrollment, rule: Rule, program: Program, items: list[DueItem]
) -> list[Outgoing]:
    """The newest still-valid reminder (older ones collapse into it); it plans the next."""
    current = step_ref(enrollment)
    valid = [
        i
        for i in items
        if enrollment.status == EnrollmentStatus.ACTIVE and i.ref.rsplit(":", 1)[0] == current
    ]
    valid.sort(key=lambda i: i.slot_at)
    for item in items:
        _close(item, b.now, DueStatus.DONE if valid and item is valid[-1] else DueStatus.SKIPPED)
    step = program.step(enrollment.cursor_step or "")
    if not valid or step is None:
        return []
    number = int(valid[-1].ref.rsplit(":", 1)[1].split("@", 1)[0])
    if number < b.options.nudges:
        after = b.options.nudge_after
        delivered = valid[-1].slot_at - after * 2 ** (number - 1)
        b.inserts.append(nudge_row(enrollment, rule, delivered, number + 1, after))
    key = f"nudge:{enrollment.id}:{valid[-1].ref}"
    return [Outgoing("nudge", key, nudge_message(program, step, number, b.options.nudges))]


async def _deadline(
    b: Batch, f: Facts, enrollment: Enrollment, program: Program, items: list[DueItem]
) -> Outgoing | None:
    open_ = (
        enrollment.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.FINISHED)
        and enrollment.completed_at is None
    )
    valid = [i for i in items if open_ and f.due_date and i.ref.startswith(f.due_date.isoformat())]
    for item in items:
        _close(item, b.now, DueStatus.DONE if valid and item is valid[-1] else DueStatus.SKIPPED)
    if not valid or f.due_date is None:
        return None
    left = await _steps_left(b.session, program, enrollment.id)
    total = len(program.steps)
    shown = deadline_message(program, f.due_date, total - left, total)
    return Outgoing("deadline", f"deadline:{enrollment.id}:{valid[-1].ref}", shown)


async def sweep(b: Batch, enrollment_id: int) -> list[Outgoing]:
    """Close this enrollment's due rows and return the messages they produce (at most one
    lesson, its recalls, and one reminder; a deadline falls into the lesson when both are due).
    """
    f, enrollment = b.facts[enrollment_id], b.enrollments[enrollment_id]
    items = b.items.get(enrollment_id, [])
    rule = f.rule(b.catalog, b.options.default_window)
    if not rule.allows(b.now):
        opens = rule.deliver_at(b.now)
        for item in items:
            item.due_at = opens
        return []
    program = b.catalog.get(enrollment.program_id)
    out: list[Outgoing] = []
    for slot in [i for i in items if i.kind == "slot"]:
        out += await _slot(b, f, enrollment, rule, program, slot)
    reminders = [i for i in items if i.kind == "nudge"]
    deadlines = [i for i in items if i.kind == "deadline"]
    if program is None:
        for item in reminders + deadlines:
            _close(item, b.now, DueStatus.SKIPPED, "program not loaded")
        return out
    lesson = next((o for o in out if o.kind == "lesson"), None)
    if reminders and lesson is not None:
        for item in reminders:
            _close(item, b.now, DueStatus.SKIPPED, "a lesson went out")
    elif reminders:
        out += _nudge(b, enrollment, rule, program, reminders)
    if deadlines and (due := await _deadline(b, f, enrollment, program, deadlines)) is not None:
        if lesson is None:
            out.append(due)
        else:
            note = Context(f"⏳ {due.message.fallback}.")
            folded = Message(
                (*lesson.message.blocks, note), lesson.message.fallback, lesson.message.key
            )
            out[out.index(lesson)] = Outgoing(lesson.kind, lesson.key, folded)
    return out


def overdue(items: list[DueItem], now: datetime) -> None:
    """Safety net: a due row the sweep left open waits an hour instead of looping."""
    for item in items:
        if item.status == DueStatus.PENDING and item.due_at <= now:
            item.due_at, item.note = now + timedelta(hours=1), "left open by the sweep"
