"""Who reviews a submission: the first routing, asking again, topping up when someone is gone."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.review import notices, routing, thread
from bot.review.env import Env
from bot.review.routing import Candidate
from bot.review.timing import Timing, remind_at
from bot.review.views import note
from storage.models import AdminAlert, PeerAssignment, PeerPost, PeerSubmission, Person
from storage.queries import review as q
from storage.queries.review_pool import people_with_identity

DECIDED = timedelta(days=3650)
"""A reviewer who decided the current version has no timers until the next one."""


async def route_new(session: AsyncSession, env: Env, sub: PeerSubmission, author: Person) -> int:
    """Assign the first reviewers and open the thread; returns how many were asked."""
    now = env.clock.now()
    ranked = await routing.candidates(
        session, author=author, program_id=sub.program_id, exclude=(), now=now
    )
    choice = routing.choose(ranked, sub.wanted)
    sub.required, sub.fallback = choice.required, choice.fallback
    timing = Timing.of((await thread.facts(session, env, sub)).program)
    made = await routing.assign(session, sub, choice.picked, now=now, timing=timing)
    await thread.open_thread(session, env, sub)
    await thread.invite(session, env, sub, list(zip(made, choice.picked, strict=True)))
    if choice.fallback:
        await thread.tell(session, env, sub, note(f"ℹ️ {choice.fallback}"), "fallback")
    if not choice.picked:
        alert(session, sub, "no reviewer", choice.fallback)
    return len(choice.picked)


def alert(session: AsyncSession, sub: PeerSubmission, subject: str, detail: str) -> None:
    """Tell the admins (`microcred reviews pending` and the delivery alerts show it)."""
    session.add(
        AdminAlert(
            workspace_id=sub.workspace_id,
            kind="peer_review",
            subject=f"portfolio #{sub.id}: {subject}"[:255],
            detail=detail[:1000],
            created_at=sub.round_started_at,
        )
    )


async def ask_again(session: AsyncSession, env: Env, sub: PeerSubmission, timing: Timing) -> None:
    """A new version: the same reviewers, their timers restarted, a short DM each."""
    now = env.clock.now()
    active = await q.assignments(session, submission_id=sub.id, active=True)
    people = await people_with_identity(
        session, person_ids=[a.reviewer_id for a in active], workspace_id=sub.workspace_id
    )
    shown = await thread.facts(session, env, sub)
    for assignment in active:
        found = people.get(assignment.reviewer_id)
        restart(assignment, found[0] if found else None, now, timing)
        if found is not None:
            person, identity = found
            await env.outbox.direct(
                session,
                sub,
                identity,
                person.id,
                notices.reminder(shown),
                f"{sub.id}:v{sub.version}:ask:{assignment.id}",
                "ask",
            )
    await top_up(session, env, sub)


def restart(
    assignment: PeerAssignment, reviewer: Person | None, now: datetime, timing: Timing
) -> None:
    assignment.asked_at, assignment.reminded_at = now, None
    assignment.remind_at = remind_at(reviewer, now, timing) if reviewer else now + timing.remind
    assignment.reassign_at = now + timing.reassign


async def top_up(session: AsyncSession, env: Env, sub: PeerSubmission, why: str = "") -> int:
    """Fewer active reviewers than approvals needed: ask new ones (never the author).

    When nobody else can review, the quorum falls back to the reviewers left (said in the
    thread) and, when none are left, the admins are alerted; nothing waits forever.
    """
    active = await q.assignments(session, submission_id=sub.id, active=True)
    missing = sub.required - len(active)
    if missing <= 0 or sub.status not in ("open", "changes_requested"):
        return 0
    author = await session.get(Person, sub.author_id)
    assert author is not None
    now = env.clock.now()
    ranked = await routing.candidates(
        session,
        author=author,
        program_id=sub.program_id,
        exclude=await routing.everyone_asked(session, sub),
        now=now,
    )
    picked: list[Candidate] = ranked[:missing]
    timing = Timing.of((await thread.facts(session, env, sub)).program)
    made = await routing.assign(session, sub, picked, now=now, timing=timing)
    if made:
        await thread.invite(session, env, sub, list(zip(made, picked, strict=True)))
        names = "another reviewer was" if len(made) == 1 else f"{len(made)} reviewers were"
        text = f"👋 {why or 'A reviewer left'}: {names} asked instead."
        await thread.tell(session, env, sub, note(text), f"topup:{made[0].id}")
    left = len(active) + len(made)
    if left < sub.required:
        sub.required = max(1, left)
        text = (
            f"ℹ️ Nobody else can review this now, so {sub.required} approval"
            f"{'s' if sub.required != 1 else ''} {'decides' if sub.required == 1 else 'decide'}."
        )
        if not left:
            text = "ℹ️ No reviewer is available now: the admins were alerted."
            alert(session, sub, "no reviewer left", text)
        await thread.tell(session, env, sub, note(text), f"fallback:{sub.version}:{left}")
    return len(made)


async def release(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    assignment: PeerAssignment,
    status: str,
    why: str,
) -> None:
    """Take a reviewer off a submission (left, opted out) and find someone else."""
    assignment.status, assignment.ended_at = status, env.clock.now()
    await session.flush()
    await top_up(session, env, sub, why)
    await env.outbox.refresh(session, sub)


async def lost(session: AsyncSession, env: Env, post: PeerPost, error: str) -> None:
    """A post can never arrive: a reviewer who left is replaced; a gone channel becomes DMs."""
    if post.submission_id is None:
        return
    sub = await q.submission(session, submission_id=post.submission_id, lock=True)
    if sub is None or sub.status not in ("open", "changes_requested"):
        return
    if post.kind == "parent" and post.person_id is None:
        sub.channel = None  # the review channel cannot be reached: each reviewer's DMs instead
        active = await q.assignments(session, submission_id=sub.id, active=True)
        people = await people_with_identity(
            session, person_ids=[a.reviewer_id for a in active], workspace_id=sub.workspace_id
        )
        for person, identity in people.values():
            await env.outbox.parent(session, sub, identity, person.id)
        return
    if post.person_id is None or post.purpose not in ("invite", "ask", "remind", "parent"):
        return
    mine = await q.assignment(session, submission_id=sub.id, reviewer_id=post.person_id)
    if mine is not None and mine.status == "active":
        await release(session, env, sub, mine, "left", "A reviewer can no longer be reached")


def decided(assignment: PeerAssignment, now: datetime) -> None:
    """No reminders for a reviewer who decided this version."""
    assignment.reminded_at = assignment.reminded_at or now
    assignment.reassign_at = now + DECIDED
