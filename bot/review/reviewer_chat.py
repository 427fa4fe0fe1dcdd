"""The reviewer's chat: `review` lists, shows, decides and calibrates; availability settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.content.schema import Portfolio
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.text import escape_markdown
from bot.core.views import Header, Reply, Text, message, say
from bot.learning.turn import Turn
from bot.review import allocation, calibration, decisions, repair, thread
from bot.review.actions import CalibrationArgs, DecisionArgs
from bot.review.env import Env
from bot.review.forms import flat, parse_levels, read_review, typed_review
from bot.review.views import parent_message, status_line
from storage.models import AssignmentStatus, SubmissionStatus
from storage.queries import review as q

USAGE = (
    "Try `review` (your list), `review 12` (one portfolio), `review 12 approve met,met,partly "
    "Well argued`, `review 12 changes met,partly,not-yet What to change`, `review calibrate`, "
    "`review off`, `review on` or `review pause 7`."
)


def _number(text: str) -> int:
    try:
        return int(text.strip().lstrip("#"))
    except ValueError:
        raise BadRequest(f"“{escape_markdown(text[:40])}” is not a portfolio number.") from None


async def waiting(turn: Turn, env: Env) -> Reply:
    """The reviewer's open reviews and calibration, newest task first."""
    rows = await q.assignments_of(turn.session, reviewer_id=turn.person.id)
    if not rows:
        return say("No portfolio is waiting for your review. Thank you!")
    blocks: list[Any] = [Header(f"Portfolios waiting for you: {len(rows)}")]
    for shown in await thread.facts_of(turn.session, env, [sub for _, sub in rows[:15]]):
        sub = shown.sub
        mine = shown.seat(turn.person.id)
        done = " · you decided this version" if mine and mine.decided else ""
        blocks.append(
            Text(
                f"**#{sub.id}** · {escape_markdown(shown.program.title)} · "
                f"{escape_markdown(shown.quiz.title)} · {status_line(shown)}{done} · "
                f"type `review {sub.id}`"
            )
        )
    return Reply((message(*blocks, fallback=f"{len(rows)} portfolios waiting for you"),))


async def show(turn: Turn, env: Env, sub_id: int) -> Reply:
    sub, _ = await decisions.allowed(turn.session, sub_id, turn.person)
    shown = await thread.facts(turn.session, env, sub)
    reply = Reply((parent_message(shown, viewer=turn.person.id),))
    left = await calibration.anchors_left(
        turn.session, turn.person, shown.program, shown.quiz, shown.question
    )
    if left:
        total = len(shown.question.anchors)
        example = calibration.anchor_message(shown, left[0], total - len(left), total)
        reply = say("First, please score this calibration example:") + Reply((example,)) + reply
    return reply


async def decide_typed(turn: Turn, env: Env, sub_id: int, decision: str, rest: str) -> Reply:
    sub, _ = await decisions.allowed(turn.session, sub_id, turn.person)
    question = (await thread.facts(turn.session, env, sub)).question
    words = rest.split(maxsplit=1)
    if not words:
        raise BadRequest(USAGE)
    review = typed_review(question, decision, words[0], words[1] if len(words) > 1 else "")
    return await decisions.decide(
        turn.session,
        env,
        submission_id=sub_id,
        version=sub.version,
        reviewer=turn.person,
        review=review,
    )


async def decide_action(
    turn: Turn, env: Env, args: DecisionArgs, action_input: ActionInput
) -> Reply:
    """The rubric form's submit, from the thread, a DM, the playground or the terminal."""
    sub_id, version = args.submission, args.version
    sub, _ = await decisions.allowed(turn.session, sub_id, turn.person)
    question = (await thread.facts(turn.session, env, sub)).question
    review = read_review(question, flat(action_input.values))
    return await decisions.decide(
        turn.session,
        env,
        submission_id=sub_id,
        version=version,
        reviewer=turn.person,
        review=review,
    )


async def calibrate(turn: Turn, env: Env, rest: str) -> Reply:
    """`review calibrate`: the next example; `review calibrate LEVELS` scores it."""
    for _, sub in await q.assignments_of(turn.session, reviewer_id=turn.person.id):
        shown = await thread.facts(turn.session, env, sub)
        left = await calibration.anchors_left(
            turn.session, turn.person, shown.program, shown.quiz, shown.question
        )
        if not left:
            continue
        if not rest.strip():
            total = len(shown.question.anchors)
            return Reply((calibration.anchor_message(shown, left[0], total - len(left), total),))
        levels = parse_levels(shown.question, rest)
        return await calibration.record(
            turn.session,
            person=turn.person,
            program=shown.program,
            quiz=shown.quiz,
            question=shown.question,
            anchor_id=left[0].id,
            values={f"lv-{c}": lvl for c, lvl in levels.items()},
        )
    return say("Nothing to calibrate: you have scored every example of your reviews.")


async def calibrate_action(
    turn: Turn, env: Env, args: CalibrationArgs, action_input: ActionInput
) -> Reply:
    program = env.catalog.get(args.program)
    quiz_id, _, question_id = args.question.partition("/")
    quiz = program.quizzes.get(quiz_id) if program else None
    question = program.question(quiz_id, question_id) if program else None
    if program is None or quiz is None or not isinstance(question, Portfolio):
        raise BadRequest("That calibration example is no longer part of the program.")
    return await calibration.record(
        turn.session,
        person=turn.person,
        program=program,
        quiz=quiz,
        question=question,
        anchor_id=args.anchor,
        values=flat(action_input.values),
    )


async def availability(turn: Turn, env: Env, word: str, rest: str) -> Reply:
    """`review off|on|pause DAYS`: opting out releases open reviews to someone else."""
    status = await q.reviewer_status(turn.session, person_id=turn.person.id)
    now = env.clock.now()
    if word == "on":
        status.opted_out, status.paused_until, status.updated_at = False, None, now
        repair.fill_after_commit(turn.session, env, workspace_id=turn.person.workspace_id)
        return say("You can be asked to review again. Thank you!")
    if word == "pause":
        try:
            days = int(rest.strip() or "7")
        except ValueError:
            raise BadRequest("Pause for how many days? Like `review pause 7`.") from None
        if not 1 <= days <= 365:
            raise BadRequest("Pause for 1 to 365 days.")
        status.paused_until, status.updated_at = now + timedelta(days=days), now
        note = f"No new review requests for {days} days"
    else:
        status.opted_out, status.updated_at = True, now
        note = "No more review requests until you type `review on`"
    moved = 0
    for assignment, sub in await q.assignments_of(turn.session, reviewer_id=turn.person.id):
        if word == "off" and sub.status == SubmissionStatus.OPEN:
            why = "A reviewer stepped back"
            await allocation.release(
                turn.session, env, sub, assignment, AssignmentStatus.RELEASED, why
            )
            moved += 1
    kept = " Your open reviews went to other reviewers." if moved else ""
    return say(f"{note}.{kept}")


async def command(turn: Turn, env: Env, arg: str) -> Reply:
    words = arg.split(maxsplit=2)
    if not words:
        return await waiting(turn, env)
    head = words[0].lower()
    if head in ("off", "on", "pause"):
        return await availability(turn, env, head, " ".join(words[1:]))
    if head == "calibrate":
        return await calibrate(turn, env, " ".join(words[1:]))
    sub_id = _number(head)
    if len(words) == 1:
        return await show(turn, env, sub_id)
    decision = {"approve": "approve", "changes": "changes", "request-changes": "changes"}.get(
        words[1].lower()
    )
    if decision is None:
        raise BadRequest(USAGE)
    return await decide_typed(turn, env, sub_id, decision, words[2] if len(words) > 2 else "")
