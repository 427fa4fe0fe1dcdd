"""Who reviews a submission: the first routing, asking again, topping up when someone is gone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.review import decisions, notices, routing, thread
from bot.review.env import Env
from bot.review.quorum import Quorum, decides, plural
from bot.review.timing import Timing, remind_at
from bot.review.views import note
from storage.models import (
    UNDER_REVIEW,
    AdminAlert,
    AssignmentStatus,
    PeerAssignment,
    PeerPost,
    PeerSubmission,
    Person,
    SubmissionStatus,
)
from storage.queries import review as q
from storage.queries.delivery import open_alert_exists
from storage.queries.review_pool import people_with_identity


async def route_new(session: AsyncSession, env: Env, sub: PeerSubmission, author: Person) -> int:
    """Assign the first reviewers and open the thread; returns how many were asked."""
    now = env.clock.now()
    ranked = await routing.candidates(
        session, author=author, program_id=sub.program_id, exclude=(), now=now
    )
    program = (await thread.facts(session, env, sub)).program
    quorum = Quorum.for_submission(sub, program)
    choice = routing.choose(ranked, quorum.wanted, quorum.least)
    sub.required, sub.fallback = choice.required, choice.fallback
    made = await routing.assign(session, sub, choice.picked, now=now, timing=Timing.of(program))
    await thread.open_thread(session, env, sub)
    await thread.invite(session, env, sub, list(zip(made, choice.picked, strict=True)))
    if choice.fallback:
        await thread.tell(session, env, sub, note(f"ℹ️ {choice.fallback}"), "fallback")
    if not choice.picked:
        await alert(session, sub, "no eligible reviewer yet", choice.fallback)
    elif len(choice.picked) < choice.required:
        await alert(session, sub, "waiting for reviewers", choice.fallback)
    return len(choice.picked)


async def alert(session: AsyncSession, sub: PeerSubmission, subject: str, detail: str) -> None:
    """Tell the admins (`microcred reviews pending` and the delivery alerts show it), once per
    open alert: the same subject for the same portfolio is not logged again until resolved."""
    subject = f"portfolio #{sub.id}: {subject}"[:255]
    if await open_alert_exists(
        session, workspace_id=sub.workspace_id, kind="peer_review", subject=subject
    ):
        return
    session.add(
        AdminAlert(
            workspace_id=sub.workspace_id,
            kind="peer_review",
            subject=subject,
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


async def top_up(
    session: AsyncSession, env: Env, sub: PeerSubmission, why: str = "", lost: int = 0
) -> int:
    """Fewer active reviewers than the program asks for: ask new ones (never the author).

    `lost` reviewers were just taken off (`why` says how). When nobody else is eligible the
    approvals needed do not shrink to the reviewers left: the submission waits (the thread
    says so, the admins are alerted) unless the program accepts `review.min_reviewers`.
    The sweep calls this for every short submission, so whoever becomes eligible is asked.
    """
    if sub.status not in UNDER_REVIEW:
        return 0
    active = await q.assignments(session, submission_id=sub.id, active=True)
    program = (await thread.facts(session, env, sub)).program
    missing = Quorum.for_submission(sub, program).wanted - len(active)
    made: list[PeerAssignment] = []
    if missing > 0:
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
        picked = routing.more(ranked, missing, [a.source for a in active])
        made = await routing.assign(session, sub, picked, now=now, timing=Timing.of(program))
        if made:
            await thread.invite(session, env, sub, list(zip(made, picked, strict=True)))
            names = "another reviewer was" if len(made) == 1 else f"{len(made)} reviewers were"
            text = (
                f"👋 {why}: {names} asked instead."
                if why
                else f"👋 {names[:1].upper()}{names[1:]} asked now that more people can review."
            )
            await thread.tell(session, env, sub, note(text), f"topup:{made[0].id}")
    await recount(session, env, sub, before=len(active) + lost)
    return len(made)


async def recount(session: AsyncSession, env: Env, sub: PeerSubmission, *, before: int) -> None:
    """The reviewers changed from `before`: set the approvals needed and say what changed.

    Speaks only when the quorum's state changes (approvals needed, waiting or not, full or
    not), so the sweep can call it every tick. A quorum lowered to the program's minimum
    that the approvals so far already meet decides the portfolio now.
    """
    active = len(await q.assignments(session, submission_id=sub.id, active=True))
    shown = await thread.facts(session, env, sub)
    quorum = Quorum.for_submission(sub, shown.program)
    required = quorum.required(active)
    was = (sub.required, before < sub.required, before >= quorum.wanted)
    new = (required, active < required, active >= quorum.wanted)
    if was == new:
        return
    lowered, raised = required < sub.required, required > sub.required
    sub.required, sub.fallback = required, quorum.state(active)
    key = f"quorum:{sub.version}:{active}:{required}"
    text = (
        f"ℹ️ {sub.fallback}"
        if sub.fallback
        else (f"✅ {plural(active, 'reviewer')} can review this now: {decides(required)}.")
    )
    await thread.tell(session, env, sub, note(text), key)
    if new[1] and not was[1]:
        ever = await q.assignments(session, submission_id=sub.id, active=False)
        subject = (
            "waiting for reviewers"
            if active
            else ("every reviewer left" if ever else "no eligible reviewer yet")
        )
        await alert(session, sub, subject, sub.fallback)
    if not was[2] and (raised or new[2]):  # the learner was told it waits, or fewer decide
        author = await session.get(Person, sub.author_id)
        if author is not None:
            shown = await thread.facts(session, env, sub)
            message = notices.more_reviewers(shown, active)
            await thread.tell_person(session, env, sub, author, message, key, "status")
    if lowered and sub.status == SubmissionStatus.OPEN and shown.approvals >= required:
        await decisions.approve_now(session, env, sub)


async def release(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    assignment: PeerAssignment,
    status: AssignmentStatus,
    why: str,
) -> None:
    """Take a reviewer off a submission (left, opted out) and find someone else.

    The submission is locked first (decisions lock it too), so a quorum this changes is
    settled once.
    """
    await q.submission(session, submission_id=sub.id, lock=True)  # refreshes `sub`
    assignment.status, assignment.ended_at = status, env.clock.now()
    await session.flush()
    await top_up(session, env, sub, why, lost=1)
    await env.outbox.refresh(session, sub)


async def lost(session: AsyncSession, env: Env, post: PeerPost, error: str) -> None:
    """A post can never arrive: a reviewer who left is replaced; a gone channel becomes DMs."""
    if post.submission_id is None:
        return
    sub = await q.submission(session, submission_id=post.submission_id, lock=True)
    if sub is None or sub.status not in UNDER_REVIEW:
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
    if mine is not None and mine.status == AssignmentStatus.ACTIVE:
        await release(
            session, env, sub, mine, AssignmentStatus.LEFT, "A reviewer can no longer be reached"
        )
