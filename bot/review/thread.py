"""A submission's thread: what it shows, where it lives, and news posted into it."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import Portfolio, Quiz
from bot.core.errors import CannotProceed
from bot.core.views import Message
from bot.review import calibration, notices
from bot.review.env import Env
from bot.review.routing import Candidate
from bot.review.views import Facts, Seat, parent_message
from storage.models import PeerAssignment, PeerDecision, PeerPost, PeerSubmission, Person
from storage.queries import review as q
from storage.queries.people import people_by_id
from storage.queries.review_pool import identity_of


def _task(env: Env, sub: PeerSubmission) -> tuple[Program, Quiz, Portfolio]:
    """The program, quiz and portfolio task of a submission (CannotProceed when gone)."""
    program = env.catalog.get(sub.program_id)
    quiz = program.quizzes.get(sub.quiz_id) if program else None
    question = program.question(sub.quiz_id, sub.question_id) if program else None
    if program is None or quiz is None or not isinstance(question, Portfolio):
        raise CannotProceed(
            f"Portfolio #{sub.id} belongs to a task that is no longer in the program."
        )
    return program, quiz, question


async def facts(session: AsyncSession, env: Env, sub: PeerSubmission) -> Facts:
    task = _task(env, sub)
    rows = await q.assignments(session, submission_id=sub.id)
    decisions = await q.decisions(session, submission_id=sub.id, version=sub.version)
    ids = {a.reviewer_id for a in rows} | {sub.author_id}
    people = await people_by_id(session, person_ids=ids)
    return _facts(sub, task, rows, decisions, people)


async def facts_of(session: AsyncSession, env: Env, subs: Sequence[PeerSubmission]) -> list[Facts]:
    """The facts of several submissions, in their order, in three queries for all of them."""
    return [shown for shown, _ in await facts_and_assignments(session, env, subs)]


async def facts_and_assignments(
    session: AsyncSession, env: Env, subs: Sequence[PeerSubmission]
) -> list[tuple[Facts, list[PeerAssignment]]]:
    """Each submission's facts and assignments (in ordinal order), in three queries for all."""
    tasks = [_task(env, sub) for sub in subs]
    if not subs:
        return []
    ids = [sub.id for sub in subs]
    rows = await q.assignments_by_submission(session, submission_ids=ids)
    decisions = await q.current_decisions(session, submission_ids=ids)
    wanted = {a.reviewer_id for found in rows.values() for a in found}
    people = await people_by_id(session, person_ids=wanted | {sub.author_id for sub in subs})
    return [
        (_facts(sub, task, rows[sub.id], decisions[sub.id], people), rows[sub.id])
        for sub, task in zip(subs, tasks, strict=True)
    ]


def _facts(
    sub: PeerSubmission,
    task: tuple[Program, Quiz, Portfolio],
    rows: list[PeerAssignment],
    decisions: list[PeerDecision],
    people: dict[int, Person],
) -> Facts:
    program, quiz, question = task
    decided = {d.reviewer_id: d.decision for d in decisions}
    seats = tuple(
        Seat(
            a.reviewer_id,
            a.ordinal,
            people[a.reviewer_id].display_name if a.reviewer_id in people else "",
            a.status,
            decided.get(a.reviewer_id),
        )
        for a in rows
    )
    author = people.get(sub.author_id)
    return Facts(sub, program, quiz, question, author.display_name if author else "", seats)


async def draw(session: AsyncSession, env: Env, post: PeerPost) -> Message | None:
    """The parent as it should look now (for the outbox)."""
    if post.submission_id is None:
        return None
    sub = await q.submission(session, submission_id=post.submission_id)
    if sub is None:
        return None
    return parent_message(await facts(session, env, sub), viewer=post.person_id)


async def invite(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    made: Collection[tuple[PeerAssignment, Candidate]],
) -> None:
    """Ask newly assigned reviewers by DM; in direct mode their DM holds the thread too."""
    shown = await facts(session, env, sub)
    left = await calibration.anchors_left_of(
        session, [c.person.id for _, c in made], shown.program, shown.quiz, shown.question
    )
    for assignment, candidate in made:
        pending = left[candidate.person.id]
        key = f"{sub.id}:invite:{assignment.id}"
        await env.outbox.direct(
            session,
            sub,
            candidate.identity,
            candidate.person.id,
            notices.invitation(shown, assignment.source, bool(pending)),
            key,
            "invite",
        )
        if pending:
            anchor = pending[0]
            total = len(shown.question.anchors)
            index = total - len(pending)
            await env.outbox.direct(
                session,
                sub,
                candidate.identity,
                candidate.person.id,
                calibration.anchor_message(shown, anchor, index, total),
                f"{sub.id}:calibrate:{candidate.person.id}:{anchor.id}",
                "calibrate",
            )
        if not sub.channel:
            await env.outbox.parent(session, sub, candidate.identity, candidate.person.id)


async def open_thread(session: AsyncSession, env: Env, sub: PeerSubmission) -> None:
    """The channel parent (reviewers' DM parents come with their invitations)."""
    if sub.channel:
        await env.outbox.parent(session, sub, sub.channel, None)


async def tell(
    session: AsyncSession, env: Env, sub: PeerSubmission, text: Message, key: str
) -> None:
    """News in the thread (every parent) and the parents redrawn with the new status."""
    await env.outbox.reply(session, sub, text, f"{sub.id}:{key}")
    await env.outbox.refresh(session, sub)


async def tell_person(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    person: Person,
    message: Message,
    key: str,
    purpose: str,
) -> None:
    """A direct message to a person of this submission's workspace, if they can be reached."""
    await tell_person_all(session, env, sub, person, [(message, key)], purpose)


async def tell_person_all(
    session: AsyncSession,
    env: Env,
    sub: PeerSubmission,
    person: Person,
    messages: Sequence[tuple[Message, str]],
    purpose: str,
) -> None:
    """Several direct messages (each with its key) to one person, their identity looked up once."""
    identity = await identity_of(session, person=person)
    if identity is None:
        return
    for message, key in messages:
        await env.outbox.direct(
            session, sub, identity, person.id, message, f"{sub.id}:{key}", purpose
        )
