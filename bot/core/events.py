"""Normalized inbound events: who acted, and what they asked for."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.views import Action


@dataclass(frozen=True)
class Actor:
    """A person on a platform, as the channel saw them."""

    workspace: str
    """`local`, `slack:TEAM` or `teams:TENANT`."""
    user_id: str
    display_name: str = ""
    email: str = ""
    timezone: str = ""
    locale: str = ""

    @property
    def identity(self) -> str:
        """The identity string used everywhere: `local:NAME`, `slack:TEAM:USER`, …"""
        return f"{self.workspace}:{self.user_id}"

    @property
    def platform(self) -> str:
        return self.workspace.split(":", 1)[0]


@dataclass(frozen=True)
class TextInput:
    """Something the learner typed."""

    text: str


@dataclass(frozen=True)
class ActionInput:
    """A click or a form submission."""

    action: Action
    values: dict[str, str | list[str]] = field(default_factory=dict)


Input = TextInput | ActionInput


@dataclass(frozen=True)
class Inbound:
    actor: Actor
    input: Input
    event_id: str = ""
    """The platform's id for this event, for de-duplicating retries."""
    channel: str = ""
    """The shared channel it happened in (`slack:TEAM:CHANNEL`); '' in a DM or App Home."""
