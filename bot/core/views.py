"""The neutral outbound message model that every channel renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

ButtonStyle = Literal["primary", "default", "danger"]


@dataclass(frozen=True)
class Action:
    """What a button or form submission asks the engine to do, as a channel carries it.

    `name` selects the handler; `args` are short strings the channel carries opaquely
    (in a Slack button value, an Adaptive Card's data, an HTML data attribute). Features
    build and read them only through their `ActionType` (`bot/core/actions.py`).
    """

    name: str
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, name: str, **args: str | int) -> Action:
        return cls(name, tuple(sorted((k, str(v)) for k, v in args.items())))


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Text:
    """CommonMark text; channels convert it (mrkdwn, Adaptive Card markdown, HTML)."""

    markdown: str


@dataclass(frozen=True)
class Code:
    source: str
    language: str = ""


@dataclass(frozen=True)
class Context:
    """Small print: progress lines, hints, stakes."""

    text: str


@dataclass(frozen=True)
class DateLine:
    """Small print holding a date each reader sees in their own time zone.

    `text` marks where the date goes with `{date}`; channels render a local-time token
    (Slack `<!date…>`, Adaptive Card `{{DATE()}}`) and fall back to `fallback_date`.
    """

    text: str
    at: datetime

    @property
    def fallback_date(self) -> str:
        return self.at.astimezone(UTC).strftime("%a %d %b %Y, %H:%M UTC")

    def plain(self) -> str:
        return self.text.replace("{date}", self.fallback_date)


@dataclass(frozen=True)
class Image:
    url: str
    alt: str


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Button:
    label: str
    action: Action
    style: ButtonStyle = "default"
    command: str = ""
    """The text a learner can type instead of clicking (terminal, DMs)."""


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceField:
    name: str
    label: str
    options: tuple[Option, ...]
    multiple: bool = False
    initial: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    multiline: bool = False
    numeric: bool = False
    min_length: int = 0
    max_length: int = 2000
    placeholder: str = ""
    initial: str = ""
    required: bool = True


Field = ChoiceField | TextField


@dataclass(frozen=True)
class Form:
    """Inputs submitted together; Slack may open it in a modal, Teams in a card."""

    title: str
    fields: tuple[Field, ...]
    submit: Button
    intro: str = ""
    opener: str = ""
    """When set, the form waits behind a button with this label (a Slack modal, a Teams
    card that opens) instead of showing its inputs in the message."""


Block = Header | Text | Code | Context | DateLine | Image | Divider | Buttons | Form


@dataclass(frozen=True)
class Message:
    """One chat message: blocks plus the plain-text fallback for notifications."""

    blocks: tuple[Block, ...]
    fallback: str
    key: str = ""
    """Stable id of what the message shows (e.g. a question), for later updates."""

    def without_actions(self) -> Message:
        """The same message with its buttons and forms removed (a used prompt)."""
        kept = tuple(b for b in self.blocks if not isinstance(b, Buttons | Form))
        return Message(kept, self.fallback, self.key)


@dataclass(frozen=True)
class Reply:
    """What the engine answers to one inbound event.

    `replace_source` replaces the message that carried the clicked action (so a used
    prompt cannot be answered twice); `messages` are new messages, in order; `private`
    notes go only to the person who acted (ephemeral on Slack).
    """

    messages: tuple[Message, ...] = ()
    replace_source: Message | None = None
    private: tuple[str, ...] = field(default=())
    refused: str = ""
    """Set when the event was refused (a bad request, or a state that cannot proceed): the
    reason, also in `messages`. Lets a form surface keep the form open and show it inline."""
    outage: bool = False
    """Set when a service the engine needs (the database) is down: the apology is in
    `messages`, and an HTTP surface may answer 503."""

    def __add__(self, other: Reply) -> Reply:
        return Reply(
            self.messages + other.messages,
            other.replace_source or self.replace_source,
            self.private + other.private,
            self.refused or other.refused,
        )


def message(*blocks: Block, fallback: str, key: str = "") -> Message:
    """Build a message from blocks."""
    return Message(tuple(blocks), fallback, key)


def say(text: str) -> Reply:
    """A reply made of one plain text message."""
    return Reply((Message((Text(text),), text),))
