"""The allocation sweep: remind, reassign, escalate, and replace reviewers who are gone."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.review import allocation, notices, routing, thread
from bot.review.env import Env
from bot.review.timing import Timing, decided
from bot.review.views import Facts, note
from storage.db import Database
from storage.models import (
    UNDER_REVIEW,
    AssignmentStatus,
    PeerAssignment,
    PeerSubmission,
    Person,
    SubmissionStatus,
)
from storage.queries import review as q
from storage.queries.review_pool import people_with_identity, team_leads

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    reminded: list[int] = field(default_factory=list)
    reassigned: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    topped_up: list[int] = field(default_factory=list)
    posts: int = 0


Work = Callable[[AsyncSession, Env, PeerSubmission], Awaitable[None]]


async def sweep(database: Database, env: Env) -> SweepResult:
    """Everything due now, each submission in its own transaction, then the posts."""
    result, now = SweepResult(), env.clock.now()
    async with database.transaction() as session:
        due = [(a.id, s.id) for a, s in await q.due_assignments(session, now=now)]
        escalate = await q.to_escalate(session, now=now)
        short = await q.short_handed(session)
    for assignment_id, sub_id in due:
        await _guarded(database, env, sub_id, partial(_timers, assignment_id, result))
    for sub_id in escalate:
        await _guarded(database, env, sub_id, partial(_escalate, result))
    for sub_id in short:
        await _guarded(database, env, sub_id, partial(_top_up, result))
    result.posts = await env.outbox.deliver()
    return result


async def fill(
    database: Database, env: Env, *, workspace_id: str, program_id: str | None = None
) -> list[int]:
    """Someone may have become eligible (a badge earned, `review on`): top up now.

    The sweep does the same every tick for every short submission; this only saves the
    wait. Each submission in its own transaction, like the sweep.
    """
    result = SweepResult()
    async with database.transaction() as session:
        short = await q.short_handed(session, workspace_id=workspace_id, program_id=program_id)
    for sub_id in short:
        await _guarded(database, env, sub_id, partial(_top_up, result))
    return result.topped_up


def fill_after_commit(
    session: AsyncSession, env: Env, *, workspace_id: str, program_id: str | None = None
) -> None:
    """Once this transaction commits, top up the short submissions it may have unblocked."""
    work = partial(fill, env.outbox.database, env, workspace_id=workspace_id, program_id=program_id)
    env.outbox.after_commit(session, work)


async def _guarded(database: Database, env: Env, sub_id: int, work: Work) -> None:
    try:
        async with database.transaction() as session:
            sub = await q.submission(session, submission_id=sub_id, lock=True)
            if sub is not None and sub.status in UNDER_REVIEW:
                await work(session, env, sub)
    except Exception:  # one broken submission never stops the sweep; logged, retried next tick
        log.exception("peer review sweep failed for portfolio #%s", sub_id)


async def _timers(
    assignment_id: int, result: SweepResult, session: AsyncSession, env: Env, sub: PeerSubmission
) -> None:
    assignment = await session.get(PeerAssignment, assignment_id, populate_existing=True)
    now = env.clock.now()
    if (
        assignment is None
        or assignment.status != AssignmentStatus.ACTIVE
        or sub.status != SubmissionStatus.OPEN
    ):
        return
    shown = await thread.facts(session, env, sub)
    seat = shown.seat(assignment.reviewer_id)
    if seat is not None and seat.decided:
        decided(assignment, now)
        return
    if now >= assignment.reassign_at:
        await _reassign(session, env, sub, assignment, shown, result)
    elif assignment.reminded_at is None and now >= assignment.remind_at:
        await _remind(session, env, sub, assignment, shown, result)


async def _remind(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    assignment: PeerAssignment,
    shown: Facts,
    result: SweepResult,
) -> None:
    assignment.reminded_at = env.clock.now()
    reviewer = await session.get(Person, assignment.reviewer_id)
    if reviewer is not None:
        key = f"remind:{assignment.id}:{sub.version}"
        await thread.tell_person(
            session, env, sub, reviewer, notices.reminder(shown), key, "remind"
        )
    seat = shown.seat(assignment.reviewer_id)
    who = shown.label(seat) if seat else "A reviewer"
    hours = Timing.of(shown.program).remind.total_seconds() / 3600
    text = f"⏰ {who} was reminded by direct message (no decision after {hours:.0f} h)."
    await thread.tell(session, env, sub, note(text), f"remind:{assignment.id}:{sub.version}")
    result.reminded.append(assignment.id)


async def _reassign(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    assignment: PeerAssignment,
    shown: Facts,
    result: SweepResult,
) -> None:
    """No decision in time: someone new takes over; when nobody can, the lead is asked."""
    author = await session.get(Person, sub.author_id)
    assert author is not None
    now, timing = env.clock.now(), Timing.of(shown.program)
    ranked = await routing.candidates(
        session,
        author=author,
        program_id=sub.program_id,
        exclude=await routing.everyone_asked(session, sub),
        now=now,
    )
    new = routing.replacement(ranked)
    if new is None:  # keep the reviewer we have, and escalate rather than wait
        assignment.reassign_at = now + timing.reassign
        if sub.escalated_at is None:
            await _escalate(result, session, env, sub)
        return
    assignment.status, assignment.ended_at = AssignmentStatus.REPLACED, now
    made = await routing.assign(session, sub, [new], now=now, timing=timing)
    await thread.invite(session, env, sub, [(made[0], new)])
    old = await session.get(Person, assignment.reviewer_id)
    if old is not None:
        await thread.tell_person(
            session, env, sub, old, notices.released(shown), f"released:{assignment.id}", "released"
        )
    seat = shown.seat(assignment.reviewer_id)
    who = shown.label(seat) if seat else "A reviewer"
    hours = timing.reassign.total_seconds() / 3600
    text = f"🔁 Reassigned: {who} had no decision after {hours:.0f} h; another reviewer was asked."
    await thread.tell(session, env, sub, note(text), f"reassign:{assignment.id}")
    result.reassigned.append(assignment.id)


async def _escalate(
    result: SweepResult, session: AsyncSession, env: Env, sub: PeerSubmission
) -> None:
    """Still undecided: the author's team lead joins (or is nudged); without one, admins."""
    if sub.escalated_at is not None or sub.status != SubmissionStatus.OPEN:
        return
    now = env.clock.now()
    sub.escalated_at = now
    shown = await thread.facts(session, env, sub)
    hours = (now - sub.round_started_at).total_seconds() / 3600
    leads = [p for p in await team_leads(session, person_id=sub.author_id) if p != sub.author_id]
    found = await people_with_identity(session, person_ids=leads[:1], workspace_id=sub.workspace_id)
    if not found:
        await allocation.alert(
            session, sub, "overdue", f"undecided after {hours:.0f} h and no team lead"
        )
        text = f"📣 Undecided after {hours:.0f} h and no team lead to ask: admins were alerted."
        await thread.tell(session, env, sub, note(text), f"escalated:{sub.version}")
        result.escalated.append(sub.id)
        return
    lead, identity = next(iter(found.values()))
    mine = await q.assignment(session, submission_id=sub.id, reviewer_id=lead.id)
    before = len(await q.assignments(session, submission_id=sub.id, active=True))
    if mine is None:
        lead_candidate = routing.Candidate(lead, identity, "lead", 0, 0.0)
        made = await routing.assign(
            session,
            sub,
            [lead_candidate],
            now=now,
            timing=Timing.of(shown.program),
            source="escalation",
        )
        await thread.invite(session, env, sub, [(made[0], lead_candidate)])
    elif mine.status != AssignmentStatus.ACTIVE:
        mine.status, mine.ended_at = AssignmentStatus.ACTIVE, None
        allocation.restart(mine, lead, now, Timing.of(shown.program))
    await env.outbox.direct(
        session,
        sub,
        identity,
        lead.id,
        notices.escalation(shown, hours),
        f"{sub.id}:escalate:{sub.version}",
        "escalate",
    )
    text = f"📣 Escalated to the team lead: undecided after {hours:.0f} h."
    await thread.tell(session, env, sub, note(text), f"escalated:{sub.version}")
    await allocation.recount(session, env, sub, before=before)
    result.escalated.append(sub.id)


async def _top_up(
    result: SweepResult, session: AsyncSession, env: Env, sub: PeerSubmission
) -> None:
    """Reviewers deleted or gone since: replace them (cheap when nothing is missing)."""
    if await allocation.top_up(session, env, sub):
        result.topped_up.append(sub.id)
