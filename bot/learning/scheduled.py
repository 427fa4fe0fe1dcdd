"""What a scheduled slot delivers: the step at an enrollment's cursor, as `next` would show it."""

from __future__ import annotations

from bot.core.views import Reply
from bot.learning.steps import show_current
from bot.learning.turn import Turn
from storage.models import Enrollment, EnrollmentStatus


def step_ref(enrollment: Enrollment) -> str:
    """The step at the cursor and the quiz run: one scheduled delivery each."""
    return f"{enrollment.cursor_step}:{enrollment.quiz_run}"


async def scheduled_step(turn: Turn, enrollment: Enrollment) -> Reply | None:
    """The step at the cursor for a scheduled slot (marked shown), or None: nothing to send.

    Nothing is sent for an enrollment that is not active, has no step left, or whose
    program or step is gone (the learner's next `next` sorts that out).
    """
    if enrollment.status != EnrollmentStatus.ACTIVE or enrollment.cursor_step is None:
        return None
    program = turn.catalog.get(enrollment.program_id)
    if program is None or program.step(enrollment.cursor_step) is None:
        return None
    reply = await show_current(turn, enrollment)
    return reply if reply.messages else None
