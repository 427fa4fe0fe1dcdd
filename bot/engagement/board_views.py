"""Leaderboard messages: a plain ranked list, no mentions, and a private "Where am I?"."""

from __future__ import annotations

from bot.core.text import escape_markdown
from bot.core.views import (
    Button,
    Buttons,
    Context,
    Header,
    Message,
    Text,
    message,
)
from bot.engagement.actions import BOARD_RANK, BoardArgs
from bot.engagement.boards import Board, Rank
from bot.engagement.levels import Level, next_level
from bot.engagement.rules import PointsRules

WHAT_COUNTS = (
    "Points come from lessons, first-try answers, quiz and rubric scores, on-time streaks, "
    "reviews given and badges."
)
PRIVACY = "Names follow each person's choice: `leaderboard hide` shows you as “a colleague”."


def ranked_lines(board: Board) -> str:
    return "\n".join(
        f"{row.rank}. {escape_markdown(row.name)} · {row.points} points" for row in board.rows
    )


def rank_line(rank: Rank, where: str) -> str:
    """A person's own standing, in words (private)."""
    if rank.rank is None:
        text = f"You have no points on {where} yet."
    else:
        text = f"You are #{rank.rank} on {where} with {rank.points} points."
    if not rank.listed:
        text += " You are not listed there; type `leaderboard show` or `leaderboard hide` to be."
    return text


def board_message(
    board: Board,
    *,
    title: str,
    window: str,
    you: Rank | None = None,
    where_am_i: bool = False,
    key: str = "",
) -> Message:
    """The top of one board; `where_am_i` adds the private-rank button (channel posts)."""
    blocks: list[Header | Text | Context | Buttons] = [
        Header(f"Leaderboard · {title}"),
        Context(f"{window.capitalize()} · {WHAT_COUNTS}"),
    ]
    if board.rows:
        blocks.append(Text(ranked_lines(board)))
    else:
        blocks.append(Text("Not enough people on this board yet: it fills up as people learn."))
    if you is not None:
        blocks.append(Context(rank_line(you, "this board")))
    blocks.append(Context(PRIVACY))
    if where_am_i:
        action = BOARD_RANK(
            BoardArgs(board=board.board, period=board.period, title=title[:60], window=window)
        )
        blocks.append(Buttons((Button("Where am I?", action),)))
    top = board.rows[0] if board.rows else None
    lead = f": {top.name} leads with {top.points} points" if top else ""
    return message(*blocks, fallback=f"Leaderboard · {title} · {window}{lead}.", key=key)


def points_message(
    total: int, level: Level, streak: tuple[int, int, str] | None, rules: PointsRules
) -> Message:
    """`/learn points`: the learner's points, level, streak, and how points are earned."""
    following = next_level(total)
    ahead = (
        f"{following.threshold - total} more to reach *{following.name}*."
        if following
        else "That is the highest level."
    )
    lines = [f"**{total} points** · level {level.number}, *{level.name}*. {ahead}"]
    if streak is not None:
        current, best, title = streak
        lines.append(f"Streak in {title}: {current} slot(s) in a row (best {best}).")
    table = "\n".join(f"- {r.points} · {r.earned_for}" for r in rules.table())
    return message(
        Header("Your points"),
        Text("\n\n".join(lines)),
        Text(f"How points are earned:\n{table}"),
        Context("Type `leaderboard` to see where you stand, `leaderboard hide` to hide your name."),
        fallback=f"You have {total} points (level {level.name}).",
    )
