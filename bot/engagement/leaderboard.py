"""`/learn leaderboard [program|team|org] [week|month|all]`, privacy words, and "Where am I?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.ports import Clock
from bot.core.text import escape_markdown, shorten
from bot.core.views import Reply
from bot.engagement import boards
from bot.engagement.actions import BoardArgs
from bot.engagement.board_views import board_message, rank_line
from bot.engagement.periods import ALL, ORG, period_key, program_board, team_board, window_label
from bot.engagement.privacy import CHOICE_WORDS, set_choice
from bot.learning.turn import Turn
from storage.models import Person
from storage.queries.org import first_team_of

WINDOW_WORDS = {
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "all": ALL,
    "all-time": ALL,
    "alltime": ALL,
    "ever": ALL,
}
TEAM_WORDS = ("team", "channel", "my-team")
ORG_WORDS = ("org", "organisation", "organization", "everyone", "company")
_BOARD = re.compile(r"^(org|p:[a-z0-9][a-z0-9_-]{0,63}|t:\d{1,12})$")
_PERIOD = re.compile(r"^(all|w\d{4}-\d{2}-\d{2}|m\d{4}-\d{2})$")


@dataclass(frozen=True)
class Scope:
    board: str
    title: str


async def resolve_scope(
    session: AsyncSession, catalog: Catalog, person: Person, words: list[str]
) -> Scope:
    text = " ".join(words).strip()
    if not text or text in ORG_WORDS:
        return Scope(ORG, "everyone")
    if text in TEAM_WORDS:
        team = await first_team_of(session, person_id=person.id)
        if team is None:
            raise BadRequest(
                "You are not in a team yet, so there is no team board. Try `leaderboard` for "
                "everyone, or `leaderboard <program>`."
            )
        return Scope(team_board(team.id), f"team {team.name}")
    program = catalog.find(text)
    if program is None:
        known = ", ".join(f"`{p.id}`" for p in catalog)
        raise BadRequest(
            f"I have no program or board called “{escape_markdown(shorten(text, 60))}”. "
            f"Try `leaderboard team`, `leaderboard org` or one of: {known}."
        )
    return Scope(program_board(program.id), program.title)


class Leaderboards:
    """The chat side of leaderboards; the reply is the asker's alone."""

    def __init__(self, catalog: Catalog, clock: Clock) -> None:
        self.catalog, self.clock = catalog, clock

    async def command(self, turn: Turn, arg: str) -> Reply:
        words = arg.lower().split()
        if words and words[0] in CHOICE_WORDS and len(words) == 1:
            return await set_choice(turn.session, turn.person, words[0])
        window = "week"
        rest = []
        for word in words:
            if word in WINDOW_WORDS:
                window = WINDOW_WORDS[word]
            else:
                rest.append(word)
        scope = await resolve_scope(turn.session, self.catalog, turn.person, rest)
        at = self.clock.now()
        ws, period = turn.person.workspace_id, period_key(window, at)
        board = await boards.top(turn.session, workspace_id=ws, board=scope.board, period=period)
        you = await boards.rank_of(
            turn.session,
            workspace_id=ws,
            board=scope.board,
            period=period,
            person_id=turn.person.id,
        )
        label = window_label(window)
        return Reply((board_message(board, title=scope.title, window=label, you=you),))

    async def where_am_i(self, turn: Turn, args: BoardArgs, action_input: ActionInput) -> Reply:
        board, period = args.board, args.period
        if not _BOARD.match(board) or not _PERIOD.match(period):
            raise BadRequest("That button is from an older leaderboard. Type `leaderboard`.")
        rank = await boards.rank_of(
            turn.session,
            workspace_id=turn.person.workspace_id,
            board=board,
            period=period,
            person_id=turn.person.id,
        )
        title = args.title or "this board"
        window = args.window
        where = f"{title} ({window})" if window else title
        return Reply(private=(rank_line(rank, where),))
