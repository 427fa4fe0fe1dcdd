"""What a scheduled slot delivers: the step at the cursor, once per step and run, or nothing."""

from __future__ import annotations

from pathlib import Path

from bot.content import Catalog, load_library
from bot.learning.scheduled import scheduled_step, step_ref
from bot.learning.turn import Turn
from storage.models import Enrollment, Person
from tests.driver import all_text
from tests.learning.desk import Desk, copy_mini


async def deliver(desk: Desk, name: str, catalog: Catalog | None = None) -> str | None:
    """The text a slot would send `name` now (None: nothing), committed like the tick does."""
    async with desk.database.transaction() as session:
        enrollment = await session.get(Enrollment, (await desk.enrollment(name)).id)
        assert enrollment is not None
        person = await session.get(Person, enrollment.person_id)
        assert person is not None
        turn = Turn(session, person, catalog or desk.catalog, clock=desk.clock)
        reply = await scheduled_step(turn, enrollment)
    return None if reply is None else "\n".join(all_text(m) for m in reply.messages)


async def test_a_slot_delivers_the_step_at_the_cursor_as_seen(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    sent = await deliver(mini_desk, "ann")
    assert sent is not None and "The first page." in sent and "page 1 of 2" in sent
    assert (await mini_desk.enrollment("ann")).cursor_shown
    assert "The second page." in ann.text(await ann.say("next"))  # the slot counted as seen


async def test_one_delivery_per_step_and_run(exact_desk: Desk) -> None:
    ann = exact_desk.learner("ann")
    await ann.say("start mini")
    first = step_ref(await exact_desk.enrollment("ann"))
    await ann.say("next")  # the second page of the same lesson
    assert step_ref(await exact_desk.enrollment("ann")) == first == "lesson:intro:0"
    await ann.say("next")
    assert step_ref(await exact_desk.enrollment("ann")) == "quiz:check:0"
    await ann.say("a")  # the next question of the same quiz and run
    assert step_ref(await exact_desk.enrollment("ann")) == "quiz:check:0"
    for text in ("b", "false", "1", "nope"):
        await ann.say(text)
    await ann.click("Retake quiz")
    assert step_ref(await exact_desk.enrollment("ann")) == "quiz:check:1"  # a retake: again


async def test_nothing_is_sent_to_a_paused_or_finished_enrollment(mini_desk: Desk) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    await ann.say("pause")
    assert await deliver(mini_desk, "ann") is None
    await ann.say("resume")
    assert await deliver(mini_desk, "ann") is not None
    for text in ("next", "next", "b", "a, c", "true", "72", "sbi", "The situation and impact."):
        await ann.say(text)
    assert (await mini_desk.enrollment("ann")).status == "finished"
    assert await deliver(mini_desk, "ann") is None


def place(enrollment: Enrollment) -> tuple[object, ...]:
    return (
        enrollment.status,
        enrollment.cursor_step,
        enrollment.cursor_part,
        enrollment.touched_at,
    )


async def test_nothing_is_sent_for_a_program_or_step_that_is_gone(
    tmp_path: Path, mini_desk: Desk
) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("start mini")
    mini_desk.clock.advance(hours=1)
    before = place(await mini_desk.enrollment("ann"))
    assert await deliver(mini_desk, "ann", Catalog({})) is None
    root = copy_mini(tmp_path / "lib")
    program = root / "lessons" / "mini" / "program.yaml"
    program.write_text(program.read_text().replace("  - lesson: intro\n", ""))
    (root / "lessons" / "mini" / "intro.md").unlink()
    assert await deliver(mini_desk, "ann", load_library(root)) is None
    assert place(await mini_desk.enrollment("ann")) == before  # left for the learner's `next`
