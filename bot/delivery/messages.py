"""The proactive messages of scheduled delivery: each says why now, what next, how to stop."""

from __future__ import annotations

from datetime import date

from bot.content import Program
from bot.content.catalog import Step
from bot.core.copy import t, tn
from bot.core.text import shorten
from bot.core.views import Button, Buttons, Context, Divider, Header, Message, Text
from bot.learning.actions import START, ProgramArgs


def _resume(program: Program, label: str) -> Buttons:
    """Shows the step at the cursor afresh (`start` on an enrollment resumes it)."""
    action = START(ProgramArgs(program=program.id))
    return Buttons((Button(label, action, "primary", f"start {program.id}"),))


def scheduled(message: Message, *, rhythm: str) -> Message:
    """A step message as a slot delivers it: the reason and the way out at the end."""
    note = Context(t("delivery.scheduled_note", rhythm=rhythm))
    return Message((*message.blocks, note), message.fallback, message.key)


def caught_up(message: Message, *, waiting: int, rhythm: str) -> Message:
    """After downtime: one message for every missed slot, never a burst."""
    intro = (
        Header(tn("delivery.caught_up", waiting)),
        Text(t("delivery.caught_up_next")),
        Divider(),
    )
    note = Context(t("delivery.caught_up_note", rhythm=rhythm))
    fallback = shorten(tn("delivery.caught_up_fallback", waiting, first=message.fallback), 3000)
    return Message((*intro, *message.blocks, note), fallback, message.key)


def _still_waiting(program: Program, step: Step) -> str:
    if step.kind == "lesson":
        minutes = program.lessons[step.id].meta.minutes
        return t("delivery.nudge_lesson", program=program.title, minutes=minutes)
    questions = len(program.quizzes[step.id].questions)
    return tn("delivery.nudge_quiz", questions, program=program.title)


def nudge_message(program: Program, step: Step, number: int, of: int) -> Message:
    """A reminder of a delivered step that is still open."""
    title = shorten(step.title, 120)
    return Message(
        (
            Header(t("delivery.still_open", title=title)),
            Text(_still_waiting(program, step)),
            _resume(program, t("delivery.continue")),
            Context(t("delivery.reminder_note", number=number, of=of)),
        ),
        t("delivery.still_open", title=title),
    )


def deadline_message(program: Program, due: date, done: int, total: int) -> Message:
    """A reminder before a cohort's due date."""
    left = total - done
    return Message(
        (
            Header(shorten(t("delivery.due_on", program=program.title, due=due), 150)),
            Text(tn("delivery.deadline_progress", total, done=done, left=left)),
            _resume(program, t("delivery.pick_up")),
            Context(t("delivery.deadline_note")),
        ),
        tn("delivery.deadline_fallback", total, program=program.title, due=due, left=left),
    )
