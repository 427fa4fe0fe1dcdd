"""Leaderboard messages: a plain ranked list, no mentions, and a private "Where am I?"."""

from __future__ import annotations

from bot.core.copy import t, tn
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


def points_of(points: int) -> str:
    return tn("board.points", points, points=points)


def ranked_lines(board: Board) -> str:
    return "\n".join(
        t("board.row", rank=row.rank, name=escape_markdown(row.name), points=points_of(row.points))
        for row in board.rows
    )


def rank_line(rank: Rank, where: str) -> str:
    """A person's own standing, in words (private), and why they are not listed if so."""
    if rank.rank is None:
        text = t("board.no_points", where=where)
    else:
        text = t("board.your_rank", rank=rank.rank, where=where, points=points_of(rank.points))
    if not rank.listed:
        text = t(
            "board.with_reason",
            text=text,
            reason=t("board.left" if rank.left else "board.not_joined"),
        )
    return text


def _shown_note(board: Board) -> str:
    """Why a board lists fewer people than it could: it never shows its bottom half."""
    if not board.rows or len(board.rows) >= min(board.limit, board.listed):
        return ""
    return t("board.top_half", shown=len(board.rows), listed=board.listed)


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
        Header(t("board.title", title=title)),
        Context(t("board.what_counts", window=window.capitalize())),
    ]
    if board.rows:
        blocks.append(Text(ranked_lines(board)))
        if note := _shown_note(board):
            blocks.append(Context(note))
    else:
        blocks.append(Text(t("board.empty")))
    if you is not None:
        blocks.append(Context(rank_line(you, t("board.this_board"))))
    blocks.append(Context(t("board.privacy")))
    if where_am_i:
        action = BOARD_RANK(
            BoardArgs(board=board.board, period=board.period, title=title[:60], window=window)
        )
        blocks.append(Buttons((Button(t("board.where_am_i"), action),)))
    top = board.rows[0] if board.rows else None
    fallback = (
        t(
            "board.fallback_lead",
            title=title,
            window=window,
            name=top.name,
            points=points_of(top.points),
        )
        if top
        else t("board.fallback", title=title, window=window)
    )
    return message(*blocks, fallback=fallback, key=key)


def points_message(
    total: int, level: Level, streak: tuple[int, int, str] | None, rules: PointsRules
) -> Message:
    """`/learn points`: the learner's points, level, streak, and how points are earned."""
    following = next_level(total)
    ahead = (
        t("points.ahead", more=points_of(following.threshold - total), level=following.name)
        if following
        else t("points.top_level")
    )
    lines = [
        t(
            "points.summary",
            points=points_of(total),
            number=level.number,
            level=level.name,
            ahead=ahead,
        )
    ]
    if streak is not None:
        current, best, title = streak
        lines.append(tn("points.streak", current, program=title, current=current, best=best))
    table = "\n".join(
        t("points.rule", points=r.points, earned_for=r.earned_for) for r in rules.table()
    )
    return message(
        Header(t("points.title")),
        Text("\n\n".join(lines)),
        Text(t("points.how", table=table)),
        Context(t("points.hint")),
        fallback=t("points.fallback", points=points_of(total), level=level.name),
    )
