"""Challenge scoring: what counts, the daily cap, ties, and normalising per slot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.content import Catalog
from bot.engagement.scoring import Standing, capped_total, item_skills, ranked, value_of
from storage.queries.engagement import EntryRow

DAY = date(2026, 3, 2)


def entry(kind: str, points: int = 10, quality: float = 0.0, day: int = 0) -> EntryRow:
    moment = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=day)
    return EntryRow(
        1, "secure-coding", kind, "", points, quality, DAY + timedelta(days=day), moment
    )


def test_each_scoring_counts_its_own_thing() -> None:
    lesson, first, review = entry("lesson"), entry("first_try", 5, 1.0), entry("review", 15)
    assert [value_of(e, "points") for e in (lesson, first, review)] == [10, 5, 15]
    assert [value_of(e, "completions") for e in (lesson, first, review)] == [1, 0, 0]
    assert [value_of(e, "mastery") for e in (lesson, first, review)] == [0, 1.0, 0]


def test_a_day_counts_no_more_than_the_cap() -> None:
    binge = [entry("lesson", day=0) for _ in range(8)] + [entry("lesson", day=1)]
    assert capped_total(binge, "completions", 5) == 6
    assert capped_total(binge, "completions", 0) == 9


def test_scores_are_normalised_per_slot_and_ties_share_a_rank() -> None:
    early = Standing(1, raw=6, slots=10)  # 0.6 per slot
    late = Standing(2, raw=3, slots=4)  # joined late: 0.75 per slot
    same = Standing(3, raw=3, slots=4)
    assert [(s.person_id, s.rank) for s in ranked([early, late, same])] == [(2, 1), (3, 1), (1, 3)]
    assert Standing(4, raw=2, slots=0).score == 2  # at least one slot


def test_skills_come_from_lessons_quizzes_and_questions(catalog: Catalog) -> None:
    program = catalog.programs["secure-coding"]
    quiz = program.quizzes["untrusted-input-check"]
    question = next(q for q in quiz.questions if q.skills)
    assert set(question.skills) <= item_skills(program, f"{quiz.id}/{question.id}")
    assert set(question.skills) <= item_skills(program, f"quiz:{quiz.id}")
    lesson = next(lesson for lesson in program.lessons.values() if lesson.meta.skills)
    assert item_skills(program, f"lesson:{lesson.id}") == set(lesson.meta.skills)
    assert item_skills(program, "streak") == set()
