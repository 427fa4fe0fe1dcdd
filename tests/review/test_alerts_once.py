"""An admin alert is logged once per event: the same open alert is not written again."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select

from bot.review.allocation import alert
from storage.db import Database
from storage.models import AdminAlert, PeerSubmission


async def subjects(database: Database) -> list[str]:
    async with database.transaction() as session:
        return list(await session.scalars(select(AdminAlert.subject).order_by(AdminAlert.id)))


async def test_the_same_alert_twice_is_one_row_until_it_is_resolved(database: Database) -> None:
    started = datetime(2027, 1, 4, tzinfo=UTC)
    sub = cast(Any, SimpleNamespace(id=7, workspace_id="local", round_started_at=started))
    for _ in range(3):  # the sweep and the recount both notice the same state
        async with database.transaction() as session:
            await alert(session, cast(PeerSubmission, sub), "waiting for reviewers", "")
    assert await subjects(database) == ["portfolio #7: waiting for reviewers"]
    async with database.transaction() as session:
        for row in await session.scalars(select(AdminAlert)):
            row.resolved_at = started
    async with database.transaction() as session:
        await alert(session, cast(PeerSubmission, sub), "waiting for reviewers", "")
    assert len(await subjects(database)) == 2, "after it was resolved, a new event alerts again"
