"""A challenge from the lead's form to automatic results, through a recording Messenger."""

from __future__ import annotations

from bot.core.views import Buttons
from tests.driver import all_text
from tests.engagement.challenge_steps import challenge_row, create, due_rows, form_of, submit
from tests.engagement.harness import CHANNEL, Harness, read_lesson


def labels(message: object) -> list[str]:
    blocks = getattr(message, "blocks", ())
    return [b.label for block in blocks if isinstance(block, Buttons) for b in block.buttons]


async def test_a_challenge_runs_from_the_form_to_the_results(h: Harness) -> None:
    await h.team("platform", "ann", "bob", "cat", lead="dana")
    dana, ann, bob, cat = (h.member(n) for n in ("dana", "ann", "bob", "cat"))
    for who in (ann, bob, cat):
        await who.say("start secure-coding")
    await bob.say("leaderboard show")
    await ann.say("leaderboard hide")
    form = form_of(await dana.say_in(CHANNEL, "challenge secure-coding"))
    assert [f.name for f in form.fields] == [
        "program",
        "skill",
        "goal",
        "start",
        "end",
        "scoring",
        "progress",
        "channel",
        "prize",
    ]
    preview = await submit(
        dana,
        form,
        goal="Finish the first lessons",
        start="2026-03-02",
        end="2026-03-13",
        scoring="completions",
        progress="weekly",
        prize="Lunch with the CTO",
    )
    text = all_text(preview.messages[0])
    assert "Challenge from Dana" in text and "Preview: nothing is posted yet" in text
    assert labels(preview.messages[0]) == ["Post", "Edit"]
    assert h.messenger.posts == []

    posted = await dana.click("Post")
    assert posted.private and "challenge cancel" in posted.private[0]
    assert posted.replace_source is not None and labels(posted.replace_source) == []
    again = await dana.press_on(preview.messages[0], "Post")  # a second click
    assert again.private == ("Already posted: each challenge is announced once.",)

    await h.sweep()
    [announcement] = h.messenger.posts
    assert announcement.to == CHANNEL
    assert labels(announcement.message) == ["Join"]
    assert "Lunch with the CTO" in all_text(announcement.message)
    assert "<@" not in all_text(announcement.message)

    joined = await ann.press_on(announcement.message, "Join")
    assert joined.messages == () and "You joined" in joined.private[0]
    assert (await ann.press_on(announcement.message, "Join")).private == (
        "You are already in “Finish the first lessons”.",
    )
    await h.sweep()
    assert "Nobody has joined yet" in all_text(h.messenger.current(announcement.ref))
    await h.sweep(minutes=1)  # joins within a minute share one edit of the parent
    assert "1 taking part" in all_text(h.messenger.current(announcement.ref))

    await read_lesson(ann)  # Monday
    h.clock.advance(days=1)
    await read_lesson(ann)  # Tuesday
    h.clock.advance(days=1)
    await bob.press_on(announcement.message, "Join")  # Wednesday: a late joiner
    await read_lesson(bob)
    await read_lesson(bob)
    await read_lesson(cat)  # never joined: does not count

    await h.sweep(days=5)  # the next Monday: a progress post
    progress = h.messenger.posts[-1]
    assert "Challenge progress" in all_text(progress.message)
    assert labels(progress.message) == ["Where am I?", "Join"]
    mine = await ann.press_on(progress.message, "Where am I?")
    assert "You are #2" in mine.private[0]

    await h.sweep(days=4)  # Friday evening: the reminder, then the end
    await h.sweep(hours=10)
    row = await challenge_row(h)
    assert row.status == "ended"
    results = h.messenger.posts[-1]
    text = all_text(results.message)
    assert "Challenge results: Finish the first lessons" in text
    assert "🏆 Bob tops the challenge and wins Lunch with the CTO." in text
    assert "Cat" not in text and "Ann" not in text  # Ann hid her name; Cat never joined
    assert "2 took part" in text
    assert labels(h.messenger.current(announcement.ref)) == []  # no Join on an ended one
    assert [k for k, s in await due_rows(h) if s == "pending"] == []
    kinds = [k for k, _ in await due_rows(h)]
    assert kinds.count("progress") == 1 and kinds.count("reminder") == 1


async def test_the_lead_can_edit_the_draft_before_posting(hs: Harness) -> None:
    await hs.team("platform", "ann", lead="dana")
    dana = hs.member("dana")
    await create(hs, dana, CHANNEL, post=False, goal="First try")
    edit = await dana.click("Edit")
    form = form_of(edit)
    assert next(f for f in form.fields if f.name == "goal").initial == "First try"
    preview = await submit(dana, form, goal="Second try")
    assert "Second try" in all_text(preview.messages[0])
    await dana.click("Post")
    row = await challenge_row(hs)
    assert row.goal == "Second try" and row.status == "scheduled"


async def test_a_cancelled_challenge_says_so_and_takes_no_joiners(hs: Harness) -> None:
    await hs.team("platform", "ann", lead="dana")
    dana, ann = hs.member("dana"), hs.member("ann")
    await create(hs, dana, CHANNEL, goal="Short lived")
    await hs.sweep()
    [announcement] = hs.messenger.posts
    row = await challenge_row(hs)
    reply = await dana.say(f"challenge cancel {row.id}")
    assert "Cancelled “Short lived”" in dana.text(reply)
    await hs.sweep()
    assert "was cancelled" in all_text(hs.messenger.current(announcement.ref))
    joined = await ann.press_on(announcement.message, "Join")
    assert joined.private == ("“Short lived” has cancelled; nothing to join now.",)
    assert [k for k, s in await due_rows(hs) if s == "pending"] == []


async def test_a_channel_that_cannot_be_reached_fails_the_post_cleanly(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    hs.messenger.unreachable.add(CHANNEL)
    await create(hs, hs.member("dana"), CHANNEL)
    await hs.sweep()
    assert ("announce", "failed") in await due_rows(hs)
