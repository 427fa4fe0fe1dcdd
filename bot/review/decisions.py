"""Deciding: only assigned reviewers, once per version; any request for changes returns the
work, a quorum of approvals records the rubric score through the assessment re-scoring path."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import BadRequest, CannotProceed
from bot.core.views import Reply, say
from bot.marking.rescore import levels_to_points, rescore
from bot.review import calibration, notices, thread
from bot.review.env import Env
from bot.review.forms import Review
from bot.review.quorum import ordinal
from bot.review.timing import decided
from bot.review.views import Facts, closed_note, decided_note
from storage.models import (
    AssignmentStatus,
    Attempt,
    PeerAssignment,
    PeerDecision,
    PeerSubmission,
    Person,
    SubmissionStatus,
)
from storage.queries import review as q
from storage.queries.assessment import undelivered_notices_of

ALREADY = "Already recorded: your review of this version counts once."
NOT_YOURS = (
    "Only the reviewers asked to review this portfolio can decide it; nothing was changed. "
    "Type `review` to see the ones waiting for you."
)


async def decide(
    session: AsyncSession,
    env: Env,
    *,
    submission_id: int,
    version: int,
    reviewer: Person,
    review: Review,
) -> Reply:
    """Record one reviewer's decision (the submission is locked, so concurrent ones queue)."""
    sub, mine = await allowed(session, submission_id, reviewer, lock=True)
    earlier = [
        d
        for d in await q.decisions(session, submission_id=sub.id, version=version)
        if d.reviewer_id == reviewer.id
    ]
    if earlier:
        return Reply(private=(ALREADY,))
    if version != sub.version or sub.status != SubmissionStatus.OPEN:
        raise CannotProceed(_closed(sub))
    shown = await thread.facts(session, env, sub)
    if await calibration.anchors_left(session, reviewer, shown.program, shown.quiz, shown.question):
        raise CannotProceed(
            "Before your first review, please score the calibration example I sent you "
            "(type `review calibrate` to see it again). Your review was not recorded yet."
        )
    points = levels_to_points(shown.question, review.levels)
    rubric = shown.question.rubric
    if review.decision == "approve" and points + 1e-9 < rubric.pass_mark:
        raise BadRequest(
            f"These levels give {points:g} of {rubric.max_points:g} points, below the pass "
            f"mark of {rubric.pass_mark:g}: raise the levels that are met, or request changes."
        )
    row = PeerDecision(
        submission_id=sub.id,
        reviewer_id=reviewer.id,
        ordinal=mine.ordinal,
        version=version,
        decision=review.decision,
        levels=review.levels,
        comments=review.comments,
        points=points,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return Reply(private=(ALREADY,))
    decided(mine, env.clock.now())
    shown = await thread.facts(session, env, sub)
    seat = shown.seat(reviewer.id)
    assert seat is not None
    key = f"v{version}:decided:{reviewer.id}"
    await thread.tell(session, env, sub, decided_note(shown, seat, review.decision), key)
    reply = await _credit(session, env, sub, reviewer)
    rows = await q.decisions(session, submission_id=sub.id, version=version)
    if review.decision == "changes":
        await _return(session, env, sub, rows)
        said = "Changes requested: the learner gets the feedback of every review so far."
    elif shown.approvals >= sub.required:
        await _approve(session, env, sub, rows)
        said = "Approved: that was the last approval needed. The learner gets the score."
    else:
        said = f"Approved. {shown.approvals} of {sub.required} approvals so far."
        if shown.reviewers < sub.required:
            said += (
                f" It waits for a {ordinal(shown.reviewers + 1)} reviewer, who is asked as soon "
                "as someone is eligible."
            )
    return Reply(private=(f"✅ Your review is recorded. {said}",)) + reply


async def allowed(
    session: AsyncSession, submission_id: int, reviewer: Person, *, lock: bool = False
) -> tuple[PeerSubmission, PeerAssignment]:
    """The submission and the reviewer's active assignment; BadRequest for anyone else."""
    sub = await q.submission(session, submission_id=submission_id, lock=lock)
    if sub is None or sub.workspace_id != reviewer.workspace_id:
        raise BadRequest(f"There is no portfolio #{submission_id} to review here.")
    if reviewer.id == sub.author_id:
        raise BadRequest("You can't review your own work.")
    mine = await q.assignment(session, submission_id=sub.id, reviewer_id=reviewer.id)
    if mine is None or mine.status != AssignmentStatus.ACTIVE:
        raise BadRequest(NOT_YOURS)
    return sub, mine


def _closed(sub: PeerSubmission) -> str:
    if sub.status == SubmissionStatus.CHANGES_REQUESTED:
        return (
            f"Version {sub.version} already went back to the learner for changes; you will "
            "be asked again when they resubmit."
        )
    if sub.status in (SubmissionStatus.APPROVED, SubmissionStatus.SETTLED):
        return "This portfolio was already decided. Thank you!"
    return f"That form is for an older version; version {sub.version} is the one to review."


async def _credit(session: AsyncSession, env: Env, sub: PeerSubmission, reviewer: Person) -> Reply:
    if env.credit is None:
        return Reply()
    return await env.credit.award_review_points(
        session, reviewer=reviewer, review_ref=f"{sub.id}:{sub.version}", program_id=sub.program_id
    )


def _agreement(rows: list[PeerDecision], approved: bool, final: dict[str, str]) -> None:
    for row in rows:
        row.agreed = (row.decision == "approve") == approved
        if approved and final:
            same = sum(1 for c, lvl in final.items() if (row.levels or {}).get(c) == lvl)
            row.level_agreement = same / len(final)


async def _return(
    session: AsyncSession, env: Env, sub: PeerSubmission, rows: list[PeerDecision]
) -> None:
    """Any request for changes: the version goes back with everyone's feedback so far."""
    sub.status = SubmissionStatus.CHANGES_REQUESTED
    _agreement(rows, False, {})
    shown = await thread.facts(session, env, sub)
    author = await session.get(Person, sub.author_id)
    assert author is not None
    message = notices.changes_requested(shown, rows)
    await thread.tell_person(
        session, env, sub, author, message, f"v{sub.version}:changes", "feedback"
    )
    await thread.tell(session, env, sub, closed_note(shown), f"v{sub.version}:closed")


async def approve_now(session: AsyncSession, env: Env, sub: PeerSubmission) -> None:
    """The approvals needed were lowered to what the approvals so far already meet."""
    rows = await q.decisions(session, submission_id=sub.id, version=sub.version)
    await _approve(session, env, sub, rows)


def final_levels(facts: Facts, rows: list[PeerDecision]) -> dict[str, str]:
    """Per criterion, the lower median of the approving reviewers' levels."""
    final: dict[str, str] = {}
    approving = [r for r in rows if r.decision == "approve"]
    for criterion in facts.question.rubric.criteria:
        order = [lvl.id for lvl in criterion.levels]
        given = sorted(order.index(str((r.levels or {})[criterion.id])) for r in approving)
        final[criterion.id] = order[given[(len(given) - 1) // 2]]
    return final


async def _approve(
    session: AsyncSession, env: Env, sub: PeerSubmission, rows: list[PeerDecision]
) -> None:
    """The quorum approved: the rubric score becomes the task's score; progress follows."""
    shown = await thread.facts(session, env, sub)
    final = final_levels(shown, rows)
    sub.status, sub.decided_at = SubmissionStatus.APPROVED, env.clock.now()
    sub.final_levels = final
    _agreement(rows, True, final)
    assert sub.attempt_id is not None
    result = await rescore(
        session,
        catalog=env.catalog,
        hooks=env.hooks,
        attempt_id=sub.attempt_id,
        actor=f"peer-review:{sub.id}",
        source="peer-review",
        levels=final,
        audited=False,
    )
    sub.final_points = result.after
    await _delivered_here(session, sub)
    author = await session.get(Person, sub.author_id)
    assert author is not None
    learner = result.learner_reply
    if env.credit is not None:
        attempt_reply = await env.credit.award_scored_attempt(
            session, attempt=await _attempt(session, sub)
        )
        learner = learner + attempt_reply
    notes = tuple(say(text).messages[0] for text in learner.private)
    messages = (*learner.messages, *notes, notices.approved_feedback(shown, rows))
    keyed = [(message, f"approved:{n}") for n, message in enumerate(messages)]
    await thread.tell_person_all(session, env, sub, author, keyed, "result")
    await thread.tell(session, env, sub, closed_note(shown), f"v{sub.version}:closed")


async def _attempt(session: AsyncSession, sub: PeerSubmission) -> Attempt:
    found = await session.get(Attempt, sub.attempt_id)
    assert found is not None
    return found


async def _delivered_here(session: AsyncSession, sub: PeerSubmission) -> None:
    """Peer review tells the learner itself: the re-score's stored notice is delivered."""
    for notice in await undelivered_notices_of(session, attempt_id=sub.attempt_id):
        notice.delivered_at = sub.decided_at
