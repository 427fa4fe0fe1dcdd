"""The engagement buttons: where am I on a leaderboard, and a challenge's set-up and posts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.actions import ANYONE_WHO_SEES_IT, ActionType, Role, Who, arg

LEADS = Who(role=Role.LEAD)


@dataclass(frozen=True, kw_only=True)
class BoardArgs:
    """A leaderboard as it was posted: which board and period, and how it was titled."""

    board: str = arg("b")
    period: str = arg("p")
    title: str = arg("t", "")
    window: str = arg("w", "")


@dataclass(frozen=True, kw_only=True)
class DraftArgs:
    """The challenge form: a new draft, or the draft `challenge` being edited."""

    here: str = arg("here", "")
    """The channel the lead typed `challenge` in ('' when in a DM)."""
    challenge: int | None = arg("c", None)


@dataclass(frozen=True, kw_only=True)
class ChallengeRef:
    challenge: int = arg("c")


BOARD_RANK = ActionType(
    "leaderboard-rank", BoardArgs, who=ANYONE_WHO_SEES_IT, aliases=("leaderboard_me",)
)
PREVIEW = ActionType("challenge-preview", DraftArgs, who=LEADS, aliases=("challenge_preview",))
POST = ActionType("challenge-post", ChallengeRef, who=LEADS, aliases=("challenge_post",))
EDIT = ActionType("challenge-edit", ChallengeRef, who=LEADS, aliases=("challenge_edit",))
JOIN = ActionType(
    "challenge-join", ChallengeRef, who=ANYONE_WHO_SEES_IT, aliases=("challenge_join",)
)
RANK = ActionType("challenge-rank", ChallengeRef, who=ANYONE_WHO_SEES_IT, aliases=("challenge_me",))
