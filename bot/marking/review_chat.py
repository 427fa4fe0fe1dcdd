"""Marking from chat: the `marking` command and the Confirm / Override / rubric form actions."""

from __future__ import annotations

from bot.content.schema import FreeText, Portfolio
from bot.core.actions import Role, role_refusal
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.text import escape_markdown
from bot.core.views import Reply, say
from bot.learning.hooks import Hooks
from bot.learning.turn import Turn
from bot.marking.actions import COMMAND, CONFIRM, OLD_COMMAND, OPEN, SCORE, AnswerRef
from bot.marking.rescore import Rescored, load, rescore
from bot.marking.review_views import POINTS, REASON, level_field, queue_message, review_message
from storage.queries.assessment import ReviewScope, review_queue, review_scope


async def _scope(turn: Turn) -> ReviewScope:
    scope = await review_scope(turn.session, person=turn.person)
    if not scope.any:
        raise BadRequest(role_refusal(Role.REVIEWER))
    return scope


def _attempt_id(text: str) -> int:
    try:
        return int(text.strip().lstrip("#"))
    except ValueError:
        raise BadRequest(f"“{escape_markdown(text[:40])}” is not an answer number.") from None


async def _allowed(turn: Turn, attempt_id: int) -> None:
    scope = await _scope(turn)
    item, program, _, _ = await load(turn.session, turn.catalog, attempt_id)
    if item.attempt.workspace_id != turn.person.workspace_id or not scope.covers(program.id):
        raise BadRequest(f"You don't review answer #{attempt_id}.")
    if item.learner.id == turn.person.id:
        raise BadRequest("You can't review your own answer.")


async def show_queue(turn: Turn) -> Reply:
    scope = await _scope(turn)
    items = await review_queue(
        turn.session,
        workspace_id=turn.person.workspace_id,
        scope=scope,
        exclude_person_id=turn.person.id,
    )
    return Reply((queue_message([(i, turn.catalog.get(i.attempt.program_id)) for i in items]),))


async def show_one(turn: Turn, attempt_id: int) -> Reply:
    await _allowed(turn, attempt_id)
    item, program, _, question = await load(turn.session, turn.catalog, attempt_id)
    return Reply((review_message(item, program, question),))


def _done(result: Rescored) -> Reply:
    quiz = f" The quiz is now {result.quiz_status}." if result.quiz_status else ""
    return say(
        f"Saved: answer #{result.attempt_id} by {escape_markdown(result.learner)} now has "
        f"{result.after:g} of {result.max_points:g} points.{quiz} They will be told."
    )


async def _rescore(turn: Turn, attempt_id: int, **change: object) -> Reply:
    await _allowed(turn, attempt_id)
    identity = f"person:{turn.person.id}"
    result = await rescore(
        turn.session,
        catalog=turn.catalog,
        hooks=turn.hooks,
        attempt_id=attempt_id,
        actor=identity,
        source="reviewer",
        scorer=turn.scorer,
        **change,  # type: ignore[arg-type]
    )
    return _done(result)


async def marking_command(turn: Turn, arg: str) -> Reply:
    """`marking`, `marking ID`, `marking confirm ID`, `marking override ID POINTS REASON`."""
    words = arg.split(maxsplit=3)
    if not words:
        return await show_queue(turn)
    if words[0] == "confirm" and len(words) == 2:
        return await _rescore(turn, _attempt_id(words[1]))
    if words[0] == "override" and len(words) >= 3:
        try:
            points = float(words[2].replace(",", "."))
        except ValueError:
            raise BadRequest("Give the points as a number.") from None
        reason = words[3] if len(words) > 3 else ""
        return await _rescore(turn, _attempt_id(words[1]), points=points, reason=reason)
    if len(words) == 1:
        return await show_one(turn, _attempt_id(words[0]))
    raise BadRequest(
        f"Try `{COMMAND}`, `{COMMAND} 12`, `{COMMAND} confirm 12` or "
        f"`{COMMAND} override 12 3 reason`."
    )


async def open_action(turn: Turn, args: AnswerRef, action_input: ActionInput) -> Reply:
    return await show_one(turn, args.attempt)


async def confirm_action(turn: Turn, args: AnswerRef, action_input: ActionInput) -> Reply:
    return await _rescore(turn, args.attempt)


async def score_action(turn: Turn, args: AnswerRef, action_input: ActionInput) -> Reply:
    attempt_id = args.attempt
    values = {k: v if isinstance(v, str) else ",".join(v) for k, v in action_input.values.items()}
    reason = values.get(REASON, "")
    await _allowed(turn, attempt_id)
    _, _, _, question = await load(turn.session, turn.catalog, attempt_id)
    if isinstance(question, FreeText | Portfolio):
        levels = {c.id: values.get(level_field(c.id), "") for c in question.rubric.criteria}
        return await _rescore(turn, attempt_id, levels=levels, reason=reason)
    try:
        points = float(values.get(POINTS, "").replace(",", "."))
    except ValueError:
        raise BadRequest("Give the points as a number.") from None
    return await _rescore(turn, attempt_id, points=points, reason=reason)


def register(hooks: Hooks) -> None:
    """Add the reviewer's command and actions to the journey."""
    hooks.command(COMMAND, marking_command, aliases=(OLD_COMMAND,))
    hooks.action(OPEN, open_action)
    hooks.action(CONFIRM, confirm_action)
    hooks.action(SCORE, score_action)
