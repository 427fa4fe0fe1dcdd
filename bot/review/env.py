"""What peer review's use cases share: the catalog, hooks, clock, outbox and reviewer credit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.ports import Clock
from bot.core.views import Reply
from bot.learning.hooks import Hooks
from bot.review.posts import Outbox
from storage.models import Attempt, Person


class ReviewCredit(Protocol):
    """Points for reviewers (and for a rubric score given later): the engagement feature."""

    async def award_review_points(
        self, session: AsyncSession, *, reviewer: Person, review_ref: str, program_id: str = ""
    ) -> Reply: ...

    async def award_scored_attempt(self, session: AsyncSession, *, attempt: Attempt) -> Reply: ...


@dataclass
class Env:
    catalog: Catalog
    hooks: Hooks
    clock: Clock
    outbox: Outbox
    credit: ReviewCredit | None = None
