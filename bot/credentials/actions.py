"""The badge buttons: list badges, put an e-mail on them, share one, renew one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.actions import ActionType, NoArgs, arg

COMMAND = "badges"


@dataclass(frozen=True, kw_only=True)
class BadgeRef:
    badge: str = arg("a")
    """The badge's public id."""


@dataclass(frozen=True, kw_only=True)
class ProgramRef:
    program: str = arg("p")


LIST = ActionType(COMMAND, NoArgs)
EMAIL = ActionType("badges-email", NoArgs, aliases=("badges_email",))
"""Submits the e-mail form; the address is its field."""
SHARE = ActionType("badges-share", BadgeRef, aliases=("badges_share",))
RENEW = ActionType("badges-renew", ProgramRef, aliases=("badges_renew",))
