"""One learner's turn: which enrollment `next` means, and a program that is not available."""

from __future__ import annotations

from pathlib import Path

from bot.content import Catalog, load_library
from storage.db import Database
from tests.driver import shown_letters
from tests.learning.desk import Desk, copy_mini, desk
from tests.learning.pool import question, write_pool


async def test_next_continues_the_open_program_touched_last(
    tmp_path: Path, sqlite_database: Database
) -> None:
    root = copy_mini(tmp_path / "lib")
    write_pool(root, f"id: final\ntitle: Final\nquestions:\n{question(1)}")
    world = desk(sqlite_database, load_library(root))
    ann = world.learner("ann")
    await ann.say("start mini")
    world.clock.advance(minutes=5)
    await ann.say("start pool")
    assert "Question 1?" in ann.text(await ann.say("next"))  # pool, started last
    world.clock.advance(minutes=5)
    await ann.say("start mini")  # back to mini's first page
    assert "The second page." in ann.text(await ann.say("next"))
    world.clock.advance(minutes=5)
    await ann.say("start pool")  # back to pool's question
    done = ann.text(await ann.say(shown_letters(ann.last)["o2"]))  # pool is completed
    assert "You completed **Pool program**" in done
    world.clock.advance(minutes=5)
    assert "Pick B." in ann.text(await ann.say("next"))  # a completed program is passed over


async def test_a_program_that_is_not_available_keeps_the_progress(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    ann.router = desk(mini_desk.database, Catalog({})).router  # the program was taken out
    refused = await ann.say("next")
    assert refused.refused == (
        "The program 'mini' is not available right now. "
        "Your progress is kept; please tell your learning admin."
    )
    ann.router = mini_desk.router
    assert "The second page." in ann.text(await ann.say("next"))
