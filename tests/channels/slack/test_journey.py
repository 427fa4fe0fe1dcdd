"""Every bundled program end to end in Slack over HTTP: commands, buttons, checkboxes, modals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.content import Catalog
from storage.models import Attempt, Enrollment, QuizRun
from tests.channels.slack.driver import SlackDriver
from tests.channels.slack.learner import take_program


@pytest.mark.parametrize("program_id", ["secure-coding", "effective-feedback", "data-privacy"])
async def test_a_learner_takes_a_bundled_program_end_to_end(
    slack_sqlite: SlackDriver, catalog: Catalog, program_id: str
) -> None:
    program = catalog.get(program_id)
    if program is None:
        pytest.skip(f"{program_id} is not in the library yet")
    clicks = await take_program(slack_sqlite, "U1", program)
    assert clicks > len(program.steps)
    async with slack_sqlite.services.database.transaction() as session:
        enrollment = await session.scalar(select(Enrollment))
        attempts = await session.scalar(select(func.count()).select_from(Attempt))
        runs = list(await session.scalars(select(QuizRun)))
    assert enrollment is not None and enrollment.status in ("completed", "finished")
    assert {r.quiz_id for r in runs} == set(program.quizzes)
    assert attempts == sum(len(r.questions) for r in runs)  # every drawn question, once
    assert slack_sqlite.statuses and set(slack_sqlite.statuses) == {200}
