"""The proactive messages of scheduled delivery: each says why now, what next, how to stop."""

from __future__ import annotations

from datetime import date

from bot.content import Program
from bot.content.catalog import Step
from bot.core.text import shorten
from bot.core.views import Button, Buttons, Context, Divider, Header, Message, Text
from bot.learning.actions import START, ProgramArgs

OPT_OUT = "Type `settings` to change when lessons arrive, or `pause` to stop them."


def _minutes(program: Program, step: Step) -> str:
    if step.kind == "lesson":
        return f"about {program.lessons[step.id].meta.minutes} min"
    return f"{len(program.quizzes[step.id].questions)} questions"


def _resume(program: Program, label: str = "Continue") -> Buttons:
    """Shows the step at the cursor afresh (`start` on an enrollment resumes it)."""
    action = START(ProgramArgs(program=program.id))
    return Buttons((Button(label, action, "primary", f"start {program.id}"),))


def scheduled(message: Message, *, rhythm: str) -> Message:
    """A step message as a slot delivers it: the reason and the way out at the end."""
    note = Context(f"Your scheduled lesson ({rhythm}). {OPT_OUT}")
    return Message((*message.blocks, note), message.fallback, message.key)


def caught_up(message: Message, *, waiting: int, rhythm: str) -> Message:
    """After downtime: one message for every missed slot, never a burst."""
    intro = (
        Header(f"📬 You have {waiting} lessons waiting"),
        Text("Here is the next one; the others follow at your usual times."),
        Divider(),
    )
    note = Context(f"Scheduled lessons: {rhythm}. {OPT_OUT}")
    fallback = shorten(f"You have {waiting} lessons waiting: {message.fallback}", 3000)
    return Message((*intro, *message.blocks, note), fallback, message.key)


def nudge_message(program: Program, step: Step, number: int, of: int) -> Message:
    """A reminder of a delivered step that is still open."""
    what = "lesson" if step.kind == "lesson" else "quiz"
    title = shorten(step.title, 120)
    return Message(
        (
            Header(f"Still open: {title}"),
            Text(
                f"Your {what} from **{program.title}** is waiting where you left it "
                f"({_minutes(program, step)})."
            ),
            _resume(program),
            Context(f"Reminder {number} of {of}. {OPT_OUT}"),
        ),
        f"Still open: {title}",
    )


def deadline_message(program: Program, due: date, done: int, total: int) -> Message:
    """A reminder before a cohort's due date."""
    when = f"{due.day} {due:%B %Y}"
    left = total - done
    return Message(
        (
            Header(shorten(f"{program.title} is due on {when}", 150)),
            Text(
                f"Your learning admin set this date for your group. You have finished "
                f"{done} of {total} steps; {left} to go."
            ),
            _resume(program, "Pick up where you left off"),
            Context(f"Deadline reminder. {OPT_OUT}"),
        ),
        f"{program.title} is due on {when}: {left} of {total} steps to go",
    )
