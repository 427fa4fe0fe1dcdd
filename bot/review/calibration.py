"""Calibration: a new reviewer scores the anchor examples once and sees how they compare."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import Anchor, Portfolio, Quiz
from bot.core.errors import BadRequest
from bot.core.text import escape_markdown, shorten
from bot.core.views import Code, Context, Header, Message, Reply, Text, message
from bot.learning.screens.rubric import rubric_text
from bot.review.actions import CALIBRATE, CalibrationArgs
from bot.review.forms import calibration_form, read_levels
from storage.models import PeerCalibration, Person
from storage.queries import review as q

if TYPE_CHECKING:
    from bot.review.views import Facts


async def anchors_left(
    session: AsyncSession, person: Person, program: Program, quiz: Quiz, question: Portfolio
) -> list[Anchor]:
    """The anchors of the task this person has not scored yet."""
    done = {
        c.anchor_id
        for c in await q.calibrations(
            session,
            person_id=person.id,
            program_id=program.id,
            quiz_id=quiz.id,
            question_id=question.id,
        )
    }
    return [a for a in question.anchors if a.id not in done]


async def anchors_left_of(
    session: AsyncSession,
    person_ids: Collection[int],
    program: Program,
    quiz: Quiz,
    question: Portfolio,
) -> dict[int, list[Anchor]]:
    """For each of several people, the anchors of the task they have not scored yet (one
    query for all of them)."""
    done = await q.calibrated_anchors(
        session,
        person_ids=person_ids,
        program_id=program.id,
        quiz_id=quiz.id,
        question_id=question.id,
    )
    return {p: [a for a in question.anchors if a.id not in done[p]] for p in done}


def anchor_message(facts: Facts, anchor: Anchor, index: int, total: int) -> Message:
    return example_message(facts.program, facts.quiz, facts.question, anchor, index, total)


def example_message(
    program: Program, quiz: Quiz, question: Portfolio, anchor: Anchor, index: int, total: int
) -> Message:
    action = CALIBRATE(
        CalibrationArgs(program=program.id, question=f"{quiz.id}/{question.id}", anchor=anchor.id)
    )
    return message(
        Header(f"Calibration example {index + 1} of {total}"),
        Context(f"{escape_markdown(program.title)} · {escape_markdown(quiz.title)}"),
        Code(shorten(anchor.submission.strip(), 2800)),
        rubric_text(question.rubric),
        calibration_form(question, action),
        Context("Score it as if it were real; then you see the reference levels."),
        fallback=f"Calibration example {index + 1} of {total}",
        key=f"calibrate:{program.id}:{quiz.id}:{anchor.id}",
    )


def comparison(question: Portfolio, anchor: Anchor, levels: dict[str, str]) -> tuple[str, float]:
    """One line per criterion: yours, the reference, and whether they match."""
    lines, matches = [], 0
    for criterion in question.rubric.criteria:
        label = {lvl.id: lvl.label for lvl in criterion.levels}
        mine, ref = levels.get(criterion.id, ""), anchor.levels.get(criterion.id, "")
        same = mine == ref
        matches += same
        mark = "✅ same" if same else "↔️ different"
        lines.append(
            f"- **{criterion.title}**: you {label.get(mine, mine)} · reference "
            f"{label.get(ref, ref or 'not given')} · {mark}"
        )
    return "\n".join(lines), matches / len(question.rubric.criteria)


async def record(
    session: AsyncSession,
    *,
    person: Person,
    program: Program,
    quiz: Quiz,
    question: Portfolio,
    anchor_id: str,
    values: dict[str, str],
) -> Reply:
    """Store the reviewer's levels for one anchor (once) and show the comparison."""
    anchor = next((a for a in question.anchors if a.id == anchor_id), None)
    if anchor is None:
        raise BadRequest("That calibration example is no longer part of the program.")
    levels = read_levels(question, values)
    lines, agreement = comparison(question, anchor, levels)
    try:
        async with session.begin_nested():
            session.add(
                PeerCalibration(
                    person_id=person.id,
                    program_id=program.id,
                    quiz_id=quiz.id,
                    question_id=question.id,
                    anchor_id=anchor.id,
                    levels=levels,
                    agreement=agreement,
                )
            )
    except IntegrityError:
        return Reply(private=("Already recorded: each example is scored once.",))
    left = await anchors_left(session, person, program, quiz, question)
    done = message(
        Header("How your scores compare"),
        Text(lines),
        Context(f"Agreement with the reference: {agreement:.0%}."),
        fallback=f"Calibration: {agreement:.0%} agreement",
    )
    if left:
        total = len(question.anchors)
        following = example_message(program, quiz, question, left[0], total - len(left), total)
        return Reply((done, following))
    rows = await q.calibrations(
        session,
        person_id=person.id,
        program_id=program.id,
        quiz_id=quiz.id,
        question_id=question.id,
    )
    overall = sum(r.agreement for r in rows) / len(rows)
    ready = message(
        Text(
            f"🎯 Calibrated: {overall:.0%} agreement over {len(rows)} example"
            f"{'s' if len(rows) != 1 else ''}. You can review now: type `review` for your list."
        ),
        fallback="Calibrated: you can review now",
    )
    return Reply((done, ready))
