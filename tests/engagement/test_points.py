"""Points through the journey: lessons, first tries, quizzes, badges, levels; once each."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.content import Catalog
from bot.content.schema import RUBRIC_TYPES
from bot.engagement.points import Award, Learner, award
from storage.models import PointsEntry, PointsTotal
from tests.driver import all_text, correct_answer, wrong_answer
from tests.engagement.harness import WORKSPACE, Harness, answer_open_question, read_lesson


async def test_a_lesson_read_to_the_end_earns_lesson_and_streak_points(hs: Harness) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    kinds = {(e.kind, e.points) for e in await hs.ledger("ann")}
    assert kinds == {("lesson", 10), ("streak", 3)}
    assert await hs.total("ann") == 13
    assert await hs.total("ann", "p:secure-coding") == 13
    assert await hs.total("ann", period="w2026-03-02") == 13
    assert await hs.total("ann", period="m2026-03") == 13


async def test_correct_first_tries_and_the_quiz_score_earn_points(
    hs: Harness, catalog: Catalog
) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    await read_lesson(ann)
    quiz = catalog.programs["secure-coding"].quizzes["untrusted-input-check"]
    for _ in quiz.questions:
        await answer_open_question(ann, catalog, "secure-coding")
    entries = await hs.ledger("ann")
    rubric = [q for q in quiz.questions if q.type in RUBRIC_TYPES]
    firsts = [e for e in entries if e.kind == "first_try"]
    assert len(firsts) == len(quiz.questions) - len(rubric) > 0
    assert all(e.points == 5 and e.quality == 1.0 for e in firsts)
    scored = [e for e in entries if e.kind == "rubric"]
    assert len(scored) == len(rubric) and all(0 <= e.points <= 10 for e in scored)
    [passed] = [e for e in entries if e.kind == "quiz"]
    assert passed.points == 20 and passed.item == "quiz:untrusted-input-check"
    assert await hs.total("ann") == sum(e.points for e in entries)


async def test_a_retaken_quiz_earns_no_first_try_points(hs: Harness, catalog: Catalog) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    await read_lesson(ann)
    quiz = catalog.programs["secure-coding"].quizzes["untrusted-input-check"]
    for question in quiz.questions:
        rubric = question.type in RUBRIC_TYPES
        await ann.say(correct_answer(question) if rubric else wrong_answer(question, ann.last))
    assert "retake" in " ".join(all_text(m) for m in ann.inbox[-4:]).lower()
    await ann.say("retake untrusted-input-check")
    for _ in quiz.questions:
        await answer_open_question(ann, catalog, "secure-coding")
    entries = await hs.ledger("ann")
    firsts = [e for e in entries if e.kind == "first_try"]
    assert [e.points for e in firsts if e.points] == []  # partial credit: quality, no points
    assert [e.kind for e in entries if e.kind == "quiz"] == ["quiz"]


async def test_the_level_up_message_arrives_with_the_points_that_reach_it(hs: Harness) -> None:
    pid = await hs.person_id("ann")
    async with hs.database.transaction() as s:
        await award(
            s,
            learner=Learner(pid, WORKSPACE),
            award=Award("review", "seed", 95),
            at=hs.clock.now(),
        )
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    reply = await read_lesson(ann)
    assert "Level 2: Explorer" in reply
    assert "You reached **Explorer**" in reply


async def test_points_command_shows_total_level_streak_and_the_rules(hs: Harness) -> None:
    ann = hs.member("ann")
    await ann.say("start secure-coding")
    await read_lesson(ann)
    reply = await ann.say("points")
    text = ann.text(reply)
    assert "13 points" in text and "Newcomer" in text
    assert "Streak in Secure coding essentials: 1" in text
    assert "a lesson read to the end" in text


async def test_totals_match_the_ledger_on_every_board(h: Harness, catalog: Catalog) -> None:
    await h.team("platform", "ann")
    ann = h.member("ann")
    await ann.say("start secure-coding")
    for _ in range(2):
        await read_lesson(ann)
        h.clock.advance(days=1)
    async with h.database.transaction() as s:
        ledger = await s.scalar(select(func.sum(PointsEntry.points)))
        boards = dict(
            (
                await s.execute(
                    select(PointsTotal.board, func.sum(PointsTotal.points))
                    .where(PointsTotal.period == "all")
                    .group_by(PointsTotal.board)
                )
            ).all()
        )
    team = next(b for b in boards if b.startswith("t:"))
    assert boards == {"org": ledger, "p:secure-coding": ledger, team: ledger}
