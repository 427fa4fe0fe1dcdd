"""Submitting portfolio work: the first version, drafts, and resubmissions that keep history."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Portfolio
from bot.core.errors import BadRequest
from bot.core.text import escape_markdown
from bot.core.views import Reply, say
from bot.learning.hooks import AttemptRecorded
from bot.review import allocation, notices, thread
from bot.review.env import Env
from bot.review.timing import Timing
from bot.review.views import note
from storage.models import Attempt, AttemptStatus, PeerSubmission, ScoreStatus, SubmissionStatus
from storage.queries import review as q
from storage.queries.assessment import score_record
from storage.queries.attempts import attempt_added
from storage.queries.org import binding_for

LINKS_HEADING = "Links:"


def combine(writeup: str, links: str) -> str:
    """The text stored as the answer: the write-up, then the links."""
    items = [line.strip() for line in links.splitlines() if line.strip()]
    return writeup.strip() + (f"\n\n{LINKS_HEADING}\n" + "\n".join(items) if items else "")


def split(text: str) -> tuple[str, str]:
    head, found, tail = text.rpartition(f"\n\n{LINKS_HEADING}\n")
    return (head, tail) if found else (text, "")


def problem(question: Portfolio, writeup: str, links: str) -> str:
    """Why this cannot be submitted ('' when it can); the learner's text is kept either way."""
    if not writeup.strip():
        return (
            "Your write-up is empty. Describe what you did and why (links alone are not "
            "enough), then send it again."
        )
    size = len(combine(writeup, links))
    if size > question.max_length:
        return (
            f"Your submission is {size} characters; the limit is {question.max_length}. "
            "Shorten it, or move long parts into a linked document. It is kept as a draft."
        )
    return ""


def kept(reason: str, writeup: str) -> Reply:
    """A refusal that repeats long text back, so nothing written is lost (Slack keeps the form)."""
    text = reason
    if len(writeup) > 200:
        text += f"\n\nHere is what you wrote:\n\n> {escape_markdown(writeup[:6000])}"
    return replace(say(text), refused=reason)


async def start(env: Env, event: AttemptRecorded) -> Reply | None:
    """A portfolio answer was recorded: open its submission, find reviewers, open the thread."""
    question, attempt, person = event.question, event.attempt, event.person
    if not isinstance(question, Portfolio):
        return None
    session = event.session
    found = await q.submission_for(
        session,
        enrollment_id=event.enrollment.id,
        quiz_id=event.quiz.id,
        question_id=question.id,
        run=attempt.quiz_run,
    )
    if found is not None:
        return None
    program, now = event.program, env.clock.now()
    timing = Timing.of(program)
    anonymous = program.meta.review.anonymous
    channel = None
    if not anonymous:
        channel = await binding_for(
            session, workspace_id=person.workspace_id, purpose="reviews", program_id=program.id
        )
    writeup, links = split(str(attempt.response))
    sub = PeerSubmission(
        workspace_id=person.workspace_id,
        enrollment_id=event.enrollment.id,
        author_id=person.id,
        program_id=program.id,
        quiz_id=event.quiz.id,
        question_id=question.id,
        quiz_run=attempt.quiz_run,
        attempt_id=attempt.id,
        wanted=program.meta.review.reviewers,
        required=program.meta.review.reviewers,
        anonymous=anonymous,
        channel=channel,
        writeup=writeup,
        links=links,
        round_started_at=now,
        due_at=now + timing.reassign,
        escalate_at=now + timing.escalate,
    )
    session.add(sub)
    await session.flush()
    count = await allocation.route_new(session, env, sub, person)
    await forget_draft(session, sub)
    return Reply((notices.received(await thread.facts(session, env, sub), count),))


async def forget_draft(session: AsyncSession, sub: PeerSubmission) -> None:
    found = await q.draft(
        session, enrollment_id=sub.enrollment_id, quiz_id=sub.quiz_id, question_id=sub.question_id
    )
    if found is not None:
        await session.delete(found)


async def resubmit(
    session: AsyncSession, env: Env, sub_id: int, writeup: str, links: str, named: bool | None
) -> Reply:
    """A new version after "changes requested": a new try of the answer, the same reviewers."""
    sub = await q.submission(session, submission_id=sub_id, lock=True)
    if sub is None:
        raise BadRequest("That portfolio is no longer known.")
    if sub.status == SubmissionStatus.OPEN:
        return Reply(private=(f"Version {sub.version} is already with your reviewers.",))
    if sub.status != SubmissionStatus.CHANGES_REQUESTED:
        return Reply(private=("This portfolio was already decided: type `portfolio`.",))
    previous = await session.get(Attempt, sub.attempt_id) if sub.attempt_id else None
    if previous is None:
        raise BadRequest("The earlier version of this portfolio is gone; start the task again.")
    now = env.clock.now()
    attempt = Attempt(
        workspace_id=previous.workspace_id,
        enrollment_id=previous.enrollment_id,
        program_id=previous.program_id,
        quiz_id=previous.quiz_id,
        question_id=previous.question_id,
        quiz_run=previous.quiz_run,
        try_no=previous.try_no + 1,
        content_hash=previous.content_hash,
        response=combine(writeup, links),
        status=AttemptStatus.PENDING,
        points=None,
        max_points=previous.max_points,
        correct=None,
        feedback=[],
        scorer="pending-review",
        scoring={"peer_review": {"submission": sub.id, "version": sub.version + 1}},
    )
    previous.status = AttemptStatus.SUPERSEDED
    session.add(attempt)
    await session.flush()
    attempt_added(session, attempt)
    session.add(
        score_record(
            attempt, source="pending-review", status=ScoreStatus.PENDING, points=None, stood=True
        )
    )
    timing = Timing.of((await thread.facts(session, env, sub)).program)
    sub.attempt_id, sub.version, sub.status = attempt.id, sub.version + 1, SubmissionStatus.OPEN
    sub.writeup, sub.links = writeup.strip(), links.strip()
    if named is not None:
        sub.named = named
    sub.round_started_at, sub.due_at = now, now + timing.reassign
    sub.escalate_at, sub.escalated_at = now + timing.escalate, None
    await allocation.ask_again(session, env, sub, timing)
    text = f"🆕 Version {sub.version} was submitted; the same reviewers are asked again."
    await thread.tell(session, env, sub, note(text), f"v{sub.version}")
    await forget_draft(session, sub)
    return say(f"📨 Version {sub.version} is with your reviewers. You will hear back here.")
