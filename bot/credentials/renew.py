"""Re-certification: reopen a program's quizzes so passing them again earns the next edition."""

from __future__ import annotations

from datetime import datetime

from bot.core.errors import BadRequest, CannotProceed
from bot.core.text import escape_markdown, shorten
from bot.core.views import Reply, say
from bot.credentials.awards import renewal_open
from bot.learning.steps import show_current
from bot.learning.turn import Turn
from storage.models import EnrollmentStatus
from storage.queries import badges as q
from storage.queries.progress import delete_outcomes
from storage.queries.runs import enrollment_in


async def renew(turn: Turn, program_text: str, *, now: datetime) -> Reply:
    """Start re-certifying: the quizzes open again (a new run); lessons stay done."""
    program = turn.catalog.find(program_text) if program_text.strip() else None
    if program is None:
        shown = escape_markdown(shorten(program_text.strip(), 60)) or "which program"
        raise BadRequest(f"Renew {shown}? Type `badges renew PROGRAM`, e.g. from `badges`.")
    latest = await q.latest_award(turn.session, person_id=turn.person.id, program_id=program.id)
    if latest is None or latest.revoked_at is not None:
        raise CannotProceed(
            f"You have no {program.meta.badge.name} badge to renew. "
            f"Type `start {program.id}` to earn it."
        )
    if not renewal_open(latest, now):
        until = latest.expires_at.date().isoformat() if latest.expires_at else "forever"
        return say(
            f"Your **{escape_markdown(program.meta.badge.name)}** badge is valid until {until}; "
            "renewal opens 30 days before it expires."
        )
    enrollment = await enrollment_in(turn.session, person_id=turn.person.id, program_id=program.id)
    if enrollment is None:
        raise CannotProceed(f"Type `start {program.id}` to take the program again.")
    if enrollment.completed_at is None and enrollment.status == EnrollmentStatus.ACTIVE:
        return say("Your renewal is under way.") + await show_current(turn, enrollment)
    quizzes = [s for s in program.steps if s.kind == "quiz"]
    await delete_outcomes(
        turn.session, enrollment_id=enrollment.id, step_keys=[s.key for s in quizzes]
    )
    enrollment.quiz_run += 1
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.completed_at = enrollment.finished_at = None
    enrollment.cursor_step, enrollment.cursor_part = quizzes[0].key if quizzes else None, 0
    enrollment.cursor_shown = False
    note = say(
        f"Renewing **{escape_markdown(program.meta.badge.name)}**: pass the quizzes again and "
        "you get a new badge valid from today. Your current badge stays valid meanwhile."
    )
    return note + await show_current(turn, enrollment)
