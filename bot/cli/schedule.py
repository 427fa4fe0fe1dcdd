"""`microcred schedule show` and `microcred outbox status|retry`: scheduled delivery for admins."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from bot.application import Application
from bot.cli.people import label, named_person, workspace_option
from bot.cli.runtime import run_with_services
from bot.core.errors import BadRequest, CannotProceed
from bot.delivery.facts import to_facts
from bot.delivery.options import options_from
from bot.learning.enrollment import enrollments_of
from storage.models import UNDERWAY, OutboxStatus
from storage.queries.delivery import (
    OutboxHealth,
    active_cards,
    outbox_health,
    pending_items,
    recent_messages,
    requeue_dead,
)
from storage.queries.enrollment_facts import facts_rows
from storage.queries.org import identities_of
from storage.types import utcnow

T = TypeVar("T")

SOURCES = {
    "enrollment": "set for this enrollment",
    "learner": "the learner's choice",
    "cohort": "the cohort's rhythm",
    "program": "program default",
}


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "-"
    return f"{moment.astimezone(zone):%a %d %b %Y %H:%M} {zone.key}"


def _item_line(kind: str, ref: str) -> str:
    if kind == "slot":
        return "next lesson slot"
    if kind == "nudge":
        return f"reminder {ref.rsplit(':', 1)[1].split('@', 1)[0]}"
    return f"deadline ({ref.rsplit(':', 1)[1]} days before)"


async def _schedule(services: Application, who: str, workspace: str | None) -> list[str]:
    default_window = options_from(services.settings).default_window
    async with services.database.transaction() as session:
        person = await named_person(session, who=who, workspace_id=workspace)
        identities = ", ".join(await identities_of(session, person_id=person.id))
        enrollments = await enrollments_of(session, person_id=person.id)
        ids = [e.id for e in enrollments]
        facts = {
            f.enrollment_id: f for f in map(to_facts, await facts_rows(session, enrollment_ids=ids))
        }
        items = await pending_items(session, enrollment_ids=ids)
        cards = await active_cards(session, enrollment_ids=ids)
        recent = await recent_messages(session, enrollment_ids=ids)
    lines = [f"{label(person)} · {identities}"]
    if not enrollments:
        return [*lines, "  not enrolled in any program: nothing is scheduled"]
    for enrollment in enrollments:
        rule = facts[enrollment.id].rule(services.catalog, default_window)
        if enrollment is enrollments[0]:
            lines.append(f"  time zone {rule.zone.key} · messages only {rule.window}")
        lines.append(
            f"{enrollment.program_id} · {enrollment.status} · rhythm {rule.cadence} "
            f"({SOURCES[rule.source]})"
        )
        shown = "shown" if enrollment.cursor_shown else "not shown yet"
        lines.append(f"  at {enrollment.cursor_step or 'the end'} ({shown})")
        mine = [i for i in items if i.enrollment_id == enrollment.id]
        if enrollment.status in UNDERWAY and not any(i.kind == "slot" for i in mine):
            lines.append("  next lesson slot           planned within a minute by the scheduler")
        for item in mine:
            lines.append(f"  {_item_line(item.kind, item.ref):<26} {_when(item.due_at, rule.zone)}")
        for card in (c for c in cards if c.enrollment_id == enrollment.id):
            lines.append(
                f"  review {card.quiz_id}/{card.question_id} · box {card.box} · "
                f"{_when(card.due_at, rule.zone)}"
            )
        for row in (r for r in recent if r.enrollment_id == enrollment.id):
            when = row.sent_at or row.due_at
            lines.append(f"  {row.status:<7} {row.kind:<8} {row.key}  {_when(when, rule.zone)}")
    return lines


def _run(work: Callable[[Application], Awaitable[T]]) -> T:
    try:
        return run_with_services(work)
    except (BadRequest, CannotProceed) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("schedule")
def schedule_group() -> None:
    """When each learner's lessons, reminders and reviews arrive."""


@schedule_group.command("show")
@click.option("--user", "who", required=True, metavar="IDENTITY_OR_EMAIL", help="Whose schedule.")
@workspace_option(None, "Workspace to find an e-mail in (default: any).")
def show(who: str, workspace: str | None) -> None:
    """A learner's rhythm, time zone, quiet hours, what is due next, and recent deliveries."""

    async def work(services: Application) -> list[str]:
        return await _schedule(services, who, workspace)

    for line in _run(work):
        click.echo(line)


def _health_json(health: OutboxHealth, now: datetime) -> dict[str, Any]:
    return {
        "counts": {f"{p}/{s}": n for (p, s), n in sorted(health.counts.items())},
        "oldest_due_seconds": (now - health.oldest_due).total_seconds() if health.oldest_due else 0,
        "expired_leases": health.expired_leases,
        "overdue_due_items": health.overdue_items,
        "dead": [{"key": r.key, "error": r.last_error} for r in health.dead],
        "alerts": [
            {"kind": a.kind, "subject": a.subject, "detail": a.detail} for a in health.alerts
        ],
        "workers": [
            {"name": w.name, "leader": w.leader, "beat_at": w.beat_at.isoformat(), "sent": w.sent}
            for w in health.workers
        ],
    }


def _health_lines(health: OutboxHealth, now: datetime) -> list[str]:
    states = (
        "pending-due",
        "pending-later",
        OutboxStatus.CLAIMED,
        OutboxStatus.SENT,
        OutboxStatus.DEAD,
    )
    platforms = sorted({p for p, _ in health.counts}) or ["-"]
    lines = [f"{'platform':<10}" + "".join(f"{s:>15}" for s in states)]
    for platform in platforms:
        counts = "".join(f"{health.counts.get((platform, s), 0):>15}" for s in states)
        lines.append(f"{platform:<10}{counts}")
    wait = (now - health.oldest_due).total_seconds() if health.oldest_due else 0.0
    lines.append(
        f"oldest due message waits {wait:.0f}s · {health.expired_leases} expired lease(s) · "
        f"{health.overdue_items} due item(s) not yet swept"
    )
    for worker in health.workers:
        role = "leader" if worker.leader else "follower"
        age = (now - worker.beat_at).total_seconds()
        lines.append(f"worker {worker.name} · {role} · beat {age:.0f}s ago · sent {worker.sent}")
    if not health.workers:
        lines.append("no server process has reported in (is `microcred serve` running?)")
    lines += [f"dead: {r.key} · {r.last_error}" for r in health.dead]
    lines += [f"alert: {a.kind} · {a.subject} · {a.detail}" for a in health.alerts]
    return lines


@click.group("outbox")
def outbox_group() -> None:
    """Messages waiting to be sent: backlog, leases, dead letters, server processes."""


@outbox_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for monitoring).")
def status(as_json: bool) -> None:
    """Counts per platform and state, the oldest wait, leases, dead letters and workers."""
    now = utcnow()

    async def work(services: Application) -> OutboxHealth:
        async with services.database.transaction() as session:
            return await outbox_health(session, now=now)

    health = _run(work)
    if as_json:
        click.echo(json.dumps(_health_json(health, now), indent=2))
        return
    for line in _health_lines(health, now):
        click.echo(line)


@outbox_group.command("retry")
@click.argument("keys", nargs=-1)
@click.option("--all-dead", is_flag=True, help="Requeue every dead-lettered message.")
def retry(keys: tuple[str, ...], all_dead: bool) -> None:
    """Give dead-lettered messages (by KEY, or --all-dead) a fresh set of tries."""
    if not keys and not all_dead:
        raise click.UsageError("name the KEYS to retry, or pass --all-dead")

    async def work(services: Application) -> int:
        async with services.database.transaction() as session:
            return await requeue_dead(session, now=utcnow(), keys=list(keys) or None)

    click.echo(f"requeued {_run(work)} message(s)")


def register(main: click.Group) -> None:
    main.add_command(schedule_group)
    main.add_command(outbox_group)
