"""Learners' leaderboard choices, and how each person appears on a board or in a post.

The workspace's recognition policy (the badges' `ask` first, or `announce` unless opted
out) decides who is listed without a choice of their own; a learner's choice always wins:
`named`, `anonymous` (listed as "a colleague") or `off` (left the boards).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import BadRequest
from bot.core.views import Reply, say
from storage.models import Person
from storage.models.engagement import LISTING_DEFAULT, LISTING_OPTED_IN
from storage.queries import engagement as q
from storage.queries.badges import recognition_policy

COLLEAGUE = "a colleague"
CHOICE_WORDS: dict[str, str | None] = {
    "show": "named",
    "join": "named",
    "hide": "anonymous",
    "anonymous": "anonymous",
    "leave": "off",
    "off": "off",
    "default": None,
}
_SAID = {
    "named": "You are on the leaderboards by name.",
    "anonymous": "You are on the leaderboards as “a colleague”; your name is not shown.",
    "off": "You left the leaderboards: you are not listed, and your name never appears.",
}
_WHERE = (
    "This applies to every leaderboard, the weekly digest and challenge posts. "
    "Change it any time: `leaderboard show`, `leaderboard hide`, `leaderboard leave`."
)


@dataclass(frozen=True)
class Visibility:
    """Who is listed and by what name, under one workspace's policy."""

    policy: str

    @property
    def min_listing(self) -> int:
        return LISTING_OPTED_IN if self.policy == "ask" else LISTING_DEFAULT

    def listed(self, choice: str | None) -> bool:
        return q.listing_of(choice) >= self.min_listing

    def named(self, choice: str | None) -> bool:
        return choice == "named" or (choice is None and self.policy == "announce")

    def shown(self, holder: q.Holder) -> str:
        return holder.name if self.named(holder.choice) and holder.name else COLLEAGUE


async def visibility(session: AsyncSession, *, workspace_id: str) -> Visibility:
    return Visibility(await recognition_policy(session, workspace_id=workspace_id))


async def set_choice(session: AsyncSession, person: Person, word: str) -> Reply:
    """`leaderboard show|hide|leave|join|default`, privately confirmed."""
    if word not in CHOICE_WORDS:
        raise BadRequest(f"Use one of: {', '.join(f'`leaderboard {w}`' for w in CHOICE_WORDS)}.")
    choice = CHOICE_WORDS[word]
    await q.set_board_choice(session, person_id=person.id, choice=choice)
    if choice is not None:
        return say(f"{_SAID[choice]} {_WHERE}")
    seen = await visibility(session, workspace_id=person.workspace_id)
    policy = (
        "you appear by name unless you choose otherwise"
        if seen.policy == "announce"
        else "you appear only once you choose `leaderboard show` or `leaderboard hide`"
    )
    return say(f"Back to your organisation's setting: {policy}. {_WHERE}")
