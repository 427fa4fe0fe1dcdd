"""What admins see and do: submissions waiting, who holds them up, adding a reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import BadRequest
from bot.learning.audit import audit
from bot.review import allocation, routing, thread
from bot.review.env import Env
from bot.review.timing import Timing
from bot.review.views import status_line
from storage.models import UNDER_REVIEW, AssignmentStatus, AuditAction, Person, SubmissionStatus
from storage.queries import review as q
from storage.queries.review_pool import identity_of


@dataclass(frozen=True)
class ReviewerState:
    name: str
    source: str
    state: str
    """`approved`, `changes`, `waiting`, `reminded`, `replaced`, `left` or `released`."""
    next_step: str


@dataclass(frozen=True)
class PendingRow:
    id: int
    program_id: str
    task: str
    author: str
    version: int
    status: str
    submitted_at: datetime
    due_at: datetime
    escalated: bool
    reviewers: tuple[ReviewerState, ...]
    fallback: str


async def pending(session: AsyncSession, env: Env, *, workspace_id: str) -> list[PendingRow]:
    """Every undecided submission of the workspace, with each reviewer's state and next step
    (four queries, however many submissions wait)."""
    rows = []
    subs = await q.open_submissions(session, workspace_id=workspace_id)
    for shown, assigned in await thread.facts_and_assignments(session, env, subs):
        sub = shown.sub
        states = []
        for a in assigned:
            seat = shown.seat(a.reviewer_id)
            decided = seat.decided if seat and a.status == AssignmentStatus.ACTIVE else None
            if a.status != AssignmentStatus.ACTIVE:
                state, step = a.status, ""
            elif decided:
                state, step = "approved" if decided == "approve" else "changes", ""
            elif sub.status != SubmissionStatus.OPEN:
                state, step = "waiting", "for the learner"
            elif a.reminded_at is not None:
                state, step = "reminded", f"reassign at {a.reassign_at:%Y-%m-%d %H:%M} UTC"
            else:
                state, step = "waiting", f"remind at {a.remind_at:%Y-%m-%d %H:%M} UTC"
            states.append(ReviewerState(seat.name if seat else "?", a.source, state, step))
        rows.append(
            PendingRow(
                sub.id,
                sub.program_id,
                f"{sub.quiz_id}/{sub.question_id}",
                shown.author,
                sub.version,
                status_line(shown),
                sub.round_started_at,
                sub.due_at,
                sub.escalated_at is not None,
                tuple(states),
                sub.fallback,
            )
        )
    return rows


async def add_reviewer(
    session: AsyncSession, env: Env, *, submission_id: int, person: Person
) -> str:
    """An admin adds a reviewer by hand (never the author); they are invited as usual."""
    sub = await q.submission(session, submission_id=submission_id, lock=True)
    if sub is None or sub.workspace_id != person.workspace_id:
        raise BadRequest(f"there is no portfolio #{submission_id} in {person.workspace_id}")
    if sub.status not in UNDER_REVIEW:
        raise BadRequest(f"portfolio #{submission_id} is already decided")
    if person.id == sub.author_id:
        raise BadRequest("the author cannot review their own work")
    mine = await q.assignment(session, submission_id=sub.id, reviewer_id=person.id)
    if mine is not None and mine.status == AssignmentStatus.ACTIVE:
        return f"{person.display_name} already reviews portfolio #{sub.id}"
    identity = await identity_of(session, person=person)
    if identity is None:
        raise BadRequest(f"{person.display_name} has no identity in {sub.workspace_id}")
    now = env.clock.now()
    timing = Timing.of((await thread.facts(session, env, sub)).program)
    before = len(await q.assignments(session, submission_id=sub.id, active=True))
    candidate = routing.Candidate(person, identity, "manual", 0, 0.0)
    if mine is not None:  # asked before: asked again, with fresh timers
        mine.status, mine.ended_at, mine.source = AssignmentStatus.ACTIVE, None, "manual"
        allocation.restart(mine, person, now, timing)
        made = [mine]
    else:
        made = await routing.assign(
            session, sub, [candidate], now=now, timing=timing, source="manual"
        )
    await thread.invite(session, env, sub, [(made[0], candidate)])
    await allocation.recount(session, env, sub, before=before)
    await env.outbox.refresh(session, sub)
    await audit(
        session,
        AuditAction.REVIEW_REASSIGN,
        workspace_id=sub.workspace_id,
        target=f"portfolio #{sub.id} v{sub.version} in {sub.program_id}/{sub.quiz_id}",
        subject=await session.get(Person, sub.author_id),
        changes={
            "reviewer": {"before": None, "after": f"Reviewer {made[0].ordinal}"},
            "reviewer_person_id": person.id,
            "asked_again": mine is not None,
        },
    )
    return f"{person.display_name} was asked to review portfolio #{sub.id}"
