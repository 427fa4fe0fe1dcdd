"""Learning events other features subscribe to (points, badges, review), in-transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import Question, Quiz
from bot.core.actions import ActionRegistry, ActionType
from bot.core.events import ActionInput
from bot.core.views import Reply
from storage.models import Attempt, Enrollment, Person

if TYPE_CHECKING:
    from bot.learning.turn import Turn


@dataclass(frozen=True)
class AttemptRecorded:
    """An answer was scored (or queued for review) and stored."""

    session: AsyncSession
    person: Person
    enrollment: Enrollment
    program: Program
    quiz: Quiz
    question: Question
    attempt: Attempt


@dataclass(frozen=True)
class StepFinished:
    """A step got an outcome: a lesson `done`, a quiz `passed`, `failed` or `pending`."""

    session: AsyncSession
    person: Person
    enrollment: Enrollment
    program: Program
    step_key: str
    status: str


@dataclass(frozen=True)
class ProgramCompleted:
    """The program's passing rules hold for the first time."""

    session: AsyncSession
    person: Person
    enrollment: Enrollment
    program: Program


@dataclass(frozen=True)
class CompletionWithdrawn:
    """A re-score means the program's passing rules no longer hold (badges subscribe)."""

    session: AsyncSession
    person: Person
    enrollment: Enrollment
    program: Program


@dataclass(frozen=True)
class PauseChanged:
    """The learner paused (`paused` true) or resumed an enrollment (streaks forgive the pause)."""

    session: AsyncSession
    person: Person
    enrollment: Enrollment
    paused: bool


E = TypeVar("E")
P = TypeVar("P")
Handler = Callable[[Any], Awaitable[Reply | None]]


CommandHandler = Callable[["Turn", str], Awaitable[Reply]]


class Hooks:
    """Extension points of the journey.

    Event subscribers run inside the learner's transaction and may add to the reply;
    the journey and every feature register their chat commands (`badges`) and their button
    actions here, each name once (a second registration fails at start-up).
    """

    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)
        self.commands: dict[str, CommandHandler] = {}
        self.actions: ActionRegistry[Turn] = ActionRegistry()

    def command(self, name: str, handler: CommandHandler, *, aliases: tuple[str, ...] = ()) -> None:
        """Add a text command; `handler(turn, argument)` answers it. `aliases` are older
        names that keep working."""
        for word in (name, *aliases):
            if word in self.commands:
                raise ValueError(f"the command {word!r} is registered twice")
        for word in (name, *aliases):
            self.commands[word] = handler

    def action(
        self, kind: ActionType[P], handler: Callable[[Turn, P, ActionInput], Awaitable[Reply]]
    ) -> None:
        """Add a button/form action; `handler(turn, payload, action_input)` answers it."""
        self.actions.register(kind, handler)

    def on(self, event_type: type[E], handler: Callable[[E], Awaitable[Reply | None]]) -> None:
        self._handlers[event_type].append(handler)

    async def emit(self, event: object) -> Reply:
        reply = Reply()
        for handler in self._handlers[type(event)]:
            extra = await handler(event)
            if extra is not None:
                reply = reply + extra
        return reply
