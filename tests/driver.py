"""A scripted learner that talks to the router the way a channel does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.assessment.responses import option_letter
from bot.content.schema import (
    FreeText,
    MultipleChoice,
    Numeric,
    Portfolio,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from bot.core.events import ActionInput, Actor, Inbound, TextInput
from bot.core.ports import Conversation
from bot.core.views import Button, Buttons, ChoiceField, Form, Message, Reply, Text


def all_text(message: Message) -> str:
    parts = []
    for block in message.blocks:
        for attr in ("text", "markdown", "source"):
            if isinstance(getattr(block, attr, None), str):
                parts.append(getattr(block, attr))
    return "\n".join(parts)


def buttons(message: Message) -> list[Button]:
    found = [b for block in message.blocks if isinstance(block, Buttons) for b in block.buttons]
    found += [block.submit for block in message.blocks if isinstance(block, Form)]
    return found


def shown_letters(message: Message) -> dict[str, str]:
    """Option id → the letter a question message shows it under (options are shuffled)."""
    found: dict[str, str] = {}
    for block in message.blocks:
        if isinstance(block, Buttons):
            for button in block.buttons:
                value = dict(button.action.args).get("v")
                if value and len(button.label) == 1:
                    found[value] = button.label
        if isinstance(block, Form):
            for input_field in block.fields:
                if isinstance(input_field, ChoiceField):
                    for option in input_field.options:
                        found[option.value] = option.label.split(".", 1)[0]
    return found


def _letters(
    question: SingleChoice | MultipleChoice, shown: Message | None, right: bool
) -> list[str]:
    ids = [o.id for o in question.options if o.correct == right]
    if shown is None:
        return [option_letter(i) for i, o in enumerate(question.options) if o.id in ids]
    letters = shown_letters(shown)
    return sorted(letters[i] for i in ids)


def correct_answer(question: Question, shown: Message | None = None) -> str:
    """What a learner who knows the material would type, reading the `shown` question."""
    if isinstance(question, SingleChoice):
        return _letters(question, shown, True)[0]
    if isinstance(question, MultipleChoice):
        return ", ".join(_letters(question, shown, True))
    if isinstance(question, TrueFalse):
        return "true" if question.answer else "false"
    if isinstance(question, Numeric):
        return f"{question.answer:g}"
    if isinstance(question, ShortAnswer):
        return question.accepted[0] if question.accepted else "pattern answer"
    if isinstance(question, FreeText):
        return question.reference_answers[0] if question.reference_answers else "An answer."
    assert isinstance(question, Portfolio)
    return "My submission: a write-up with links https://example.com/work"


def wrong_answer(question: Question, shown: Message | None = None) -> str:
    if isinstance(question, SingleChoice | MultipleChoice):
        return _letters(question, shown, False)[0]
    if isinstance(question, TrueFalse):
        return "false" if question.answer else "true"
    if isinstance(question, Numeric):
        return f"{question.answer * 3 + 100:g}"
    return "no idea"


@dataclass
class Learner:
    router: Conversation
    name: str
    workspace: str = "local"
    locale: str = ""
    inbox: list[Message] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def actor(self) -> Actor:
        return Actor(self.workspace, self.name, display_name=self.name.title(), locale=self.locale)

    async def _send(self, inbound: Inbound, source: int | None = None) -> Reply:
        reply = await self.router.handle(inbound)
        if reply.replace_source is not None and source is not None:
            self.inbox[source] = reply.replace_source
        self.inbox.extend(reply.messages)
        self.private.extend(reply.private)
        return reply

    async def say(self, text: str, event_id: str = "") -> Reply:
        return await self._send(Inbound(self.actor, TextInput(text), event_id))

    async def click(self, label: str, values: dict[str, Any] | None = None) -> Reply:
        """Click the newest button whose label starts with `label`."""
        for index in range(len(self.inbox) - 1, -1, -1):
            for button in buttons(self.inbox[index]):
                if button.label.startswith(label):
                    return await self.press(button, index, values)
        raise AssertionError(
            f"no button {label!r} in {[b.label for m in self.inbox for b in buttons(m)]}"
        )

    async def press(
        self, button: Button, index: int, values: dict[str, Any] | None = None
    ) -> Reply:
        inbound = Inbound(self.actor, ActionInput(button.action, values or {}))
        return await self._send(inbound, index)

    @property
    def last(self) -> Message:
        return self.inbox[-1]

    def text(self, reply: Reply) -> str:
        messages = [*reply.messages, *([reply.replace_source] if reply.replace_source else [])]
        return "\n".join([*reply.private, *(all_text(m) for m in messages)])


def has_text(message: Message, needle: str) -> bool:
    return any(needle in b.markdown for b in message.blocks if isinstance(b, Text))
