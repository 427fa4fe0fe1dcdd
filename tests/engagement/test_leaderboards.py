"""Leaderboards: privacy choices and the recognition policy, ties, windows, scopes, digests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.core.views import Buttons
from bot.engagement.points import Award, Learner, award
from storage.queries.badges import set_recognition_policy
from storage.queries.people import ensure_workspace
from tests.driver import all_text
from tests.engagement.harness import CHANNEL, WORKSPACE, Harness

Moment = datetime | None


async def seed(
    h: Harness,
    name: str,
    points: int,
    *,
    program: str = "secure-coding",
    at: datetime | None = None,
) -> None:
    pid = await h.person_id(name)
    async with h.database.transaction() as s:
        key = f"seed:{program}:{points}:{(at or h.clock.now()).isoformat()}"
        one = Award("review", key, points, program)
        await award(s, learner=Learner(pid, WORKSPACE), award=one, at=at or h.clock.now())


async def announce(h: Harness) -> None:
    async with h.database.transaction() as s:
        await ensure_workspace(s, workspace_id=WORKSPACE)
        await set_recognition_policy(s, workspace_id=WORKSPACE, policy="announce")


async def board_text(h: Harness, who: str, arg: str = "") -> str:
    member = h.member(who)
    return member.text(await member.say(f"leaderboard {arg}".strip()))


async def test_ask_first_lists_only_people_who_opted_in(hs: Harness) -> None:
    for name, points in (("ann", 50), ("bob", 40), ("cat", 30), ("dan", 20), ("eve", 10)):
        await seed(hs, name, points)
    assert "Not enough people" in await board_text(hs, "eve")
    for name in ("ann", "bob", "cat", "dan"):
        await hs.member(name).say("leaderboard show")
    await hs.member("bob").say("leaderboard hide")
    text = await board_text(hs, "eve")
    assert "1. Ann · 50 points\n2. a colleague · 40 points" in text
    assert "Bob" not in text
    assert "Showing the top 2 of 4: a board never shows its bottom half." in text
    assert (
        "You are #5 on this board with 10 points. This workspace lists only people who "
        "chose to be listed: type `leaderboard show`"
    ) in text
    assert "not listed there" not in text


async def test_someone_who_left_the_boards_is_told_so_and_how_to_come_back(hs: Harness) -> None:
    for name, points in (("ann", 50), ("bob", 40), ("cat", 30)):
        await seed(hs, name, points)
        await hs.member(name).say("leaderboard show")
    await hs.member("cat").say("leaderboard leave")
    text = await board_text(hs, "cat")
    assert "You left the leaderboards, so you are not listed: type `leaderboard show`" in text


async def test_announce_lists_everyone_but_those_who_hid_or_left(hs: Harness) -> None:
    await announce(hs)
    for name, points in (("ann", 50), ("bob", 40), ("cat", 30), ("dan", 20), ("eve", 10)):
        await seed(hs, name, points)
    await hs.member("ann").say("leaderboard leave")
    await hs.member("cat").say("leaderboard hide")
    text = await board_text(hs, "eve")
    assert "1. Bob · 40 points\n2. a colleague · 30 points" in text
    assert "Ann" not in text and "50 points" not in text
    assert "You are #4" in text  # Ann left: she is not counted above Eve
    reply = await hs.member("ann").say("leaderboard")
    assert (
        "You are #1 on this board with 50 points. You left the leaderboards, so you are not listed"
    ) in hs.member("ann").text(reply)
    await hs.member("ann").say("leaderboard default")
    assert "1. Ann · 50 points" in await board_text(hs, "eve")


async def test_ties_share_a_rank_and_the_bottom_half_is_never_shown(hs: Harness) -> None:
    await announce(hs)
    for name, points in (("ann", 50), ("bob", 40), ("cat", 40), ("dan", 20), ("eve", 10)):
        await seed(hs, name, points)
    for name in ("fay", "gus", "hal"):
        await seed(hs, name, 5)
    text = await board_text(hs, "hal")
    assert "1. Ann · 50 points\n2. Bob · 40 points\n2. Cat · 40 points\n4. Dan · 20 points" in text
    assert "Eve" not in text and "Fay" not in text  # 8 listed: only the top 4
    assert "You are #6" in text


async def test_windows_count_this_week_this_month_and_all_time(hs: Harness) -> None:
    await announce(hs)
    last_week = hs.clock.now() - timedelta(days=7)
    await seed(hs, "ann", 100, at=last_week)
    await seed(hs, "bob", 30)
    await seed(hs, "cat", 20)
    await seed(hs, "dan", 10)
    week = await board_text(hs, "dan", "week")
    assert "1. Bob · 30 points" in week and "Ann" not in week
    month = await board_text(hs, "dan", "month")
    assert "1. Bob · 30 points" in month  # last week was still February
    assert "1. Ann · 100 points" in await board_text(hs, "dan", "all")


async def test_program_and_team_scopes(hs: Harness) -> None:
    await announce(hs)
    await hs.team("platform", "ann", "bob", "cat", "dan")
    for name, points in (("ann", 10), ("bob", 20), ("cat", 30), ("dan", 40)):
        await seed(hs, name, points, program="data-privacy" if name == "dan" else "secure-coding")
    await seed(hs, "zed", 99)
    team = await board_text(hs, "ann", "team all")
    assert "Leaderboard · team platform" in team and "1. Dan · 40 points" in team
    assert "Zed" not in team
    program = await board_text(hs, "ann", "secure-coding")
    assert "Secure coding essentials" in program and "1. Zed · 99 points" in program
    assert "Dan" not in program


@pytest.mark.parametrize(
    ("arg", "problem"),
    [("team", "You are not in a team yet"), ("knitting", "no program or board called")],
)
async def test_unknown_scopes_are_refused_clearly(hs: Harness, arg: str, problem: str) -> None:
    assert problem in await board_text(hs, "ann", arg)


async def test_the_weekly_digest_posts_last_week_without_mentions(hs: Harness) -> None:
    await announce(hs)
    await hs.bind("digests")
    for name, points in (("ann", 50), ("bob", 40), ("cat", 30), ("dan", 20)):
        await seed(hs, name, points)
    await hs.sweep()  # Monday 10:00: plans next Monday's digest, posts nothing
    assert hs.messenger.posts == []
    await hs.sweep(days=7)
    [post] = hs.messenger.posts
    text = all_text(post.message)
    assert post.to == CHANNEL and "last week" in text.lower()
    assert "1. Ann · 50 points\n2. Bob · 40 points" in text and "Cat" not in text
    assert "<@" not in text and "@" not in post.message.fallback
    await hs.sweep(minutes=30)
    assert len(hs.messenger.posts) == 1 and hs.messenger.repeats == []  # once a week
    [buttons] = [b for b in post.message.blocks if isinstance(b, Buttons)]
    dan = hs.member("dan")
    reply = await dan.press_on(post.message, "Where am I?")
    assert reply.messages == () and reply.private == (
        "You are #4 on everyone (last week) with 20 points.",
    )
    assert buttons.buttons[0].label == "Where am I?"


async def test_old_week_and_month_totals_are_pruned(hs: Harness) -> None:
    await seed(hs, "ann", 10, at=hs.clock.now() - timedelta(days=70))
    await seed(hs, "ann", 5)
    await hs.sweep()  # plans tonight's pruning at 03:00 UTC
    await hs.sweep(days=1)
    assert await hs.total("ann", period="w2025-12-22") == 0
    assert await hs.total("ann", period="m2025-12") == 0
    assert await hs.total("ann") == 15
    assert await hs.total("ann", period="w2026-03-02") == 5
