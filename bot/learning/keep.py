"""Keeping an answer that could still be tried again: the `keep-answer` command and button."""

from __future__ import annotations

from bot.core.copy import t
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.views import Reply, say
from bot.learning.actions import KEEP, EnrollmentArgs
from bot.learning.answers import open_question
from bot.learning.hooks import Hooks
from bot.learning.steps import show_current
from bot.learning.turn import Turn
from storage.queries.attempts import latest_try


async def keep(turn: Turn, enrollment_id: int | None) -> Reply:
    """Make the learner's latest try at the open question final, then go on."""
    enrollment = await turn.enrollment(enrollment_id)
    if enrollment is None:
        raise BadRequest(t("start.first"))
    current = await open_question(turn.session, turn.program(enrollment), enrollment)
    if current is None:
        return Reply(private=(t("keep.nothing_waiting"),))
    quiz, index = current
    latest = await latest_try(
        turn.session,
        enrollment_id=enrollment.id,
        quiz_id=quiz.id,
        question_id=quiz.questions[index].id,
        run=enrollment.quiz_run,
    )
    if latest is None or latest.retry_after is None:
        return Reply(private=(t("keep.nothing_waiting"),))
    latest.retry_after = None
    await turn.session.flush()
    return say(t("keep.kept")) + await show_current(turn, enrollment)


async def keep_command(turn: Turn, arg: str) -> Reply:
    return await keep(turn, None)


async def keep_action(turn: Turn, args: EnrollmentArgs, action_input: ActionInput) -> Reply:
    return await keep(turn, args.enrollment)


def register(hooks: Hooks) -> None:
    hooks.command(KEEP.name, keep_command)
    hooks.action(KEEP, keep_action)
