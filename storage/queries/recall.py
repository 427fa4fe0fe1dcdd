"""Spaced repetition's cards: those due, which enrollments have any, one question's card."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RecallCard, RecallStatus


async def due_recall_cards(
    session: AsyncSession, *, enrollment_ids: Collection[int], now: datetime
) -> list[RecallCard]:
    """Active cards of these enrollments due by `now`, oldest due first."""
    rows = await session.scalars(
        select(RecallCard)
        .where(
            RecallCard.enrollment_id.in_(enrollment_ids),
            RecallCard.status == RecallStatus.ACTIVE,
            RecallCard.due_at <= now,
        )
        .order_by(RecallCard.due_at, RecallCard.id)
    )
    return list(rows)


async def enrollments_with_cards(
    session: AsyncSession, *, enrollment_ids: Collection[int]
) -> set[int]:
    """Of these enrollments, those with at least one active card."""
    rows = await session.scalars(
        select(RecallCard.enrollment_id)
        .where(
            RecallCard.enrollment_id.in_(enrollment_ids), RecallCard.status == RecallStatus.ACTIVE
        )
        .distinct()
    )
    return set(rows)


async def recall_card(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, question_id: str
) -> RecallCard | None:
    """The enrollment's card for one question, in any status."""
    return await session.scalar(
        select(RecallCard).where(
            RecallCard.enrollment_id == enrollment_id,
            RecallCard.quiz_id == quiz_id,
            RecallCard.question_id == question_id,
        )
    )


async def recall_cards(
    session: AsyncSession, *, enrollment_id: int, quiz_id: str, question_ids: Collection[str]
) -> dict[str, RecallCard]:
    """The enrollment's cards for several questions of one quiz, in any status, by question."""
    rows = await session.scalars(
        select(RecallCard).where(
            RecallCard.enrollment_id == enrollment_id,
            RecallCard.quiz_id == quiz_id,
            RecallCard.question_id.in_(question_ids),
        )
    )
    return {card.question_id: card for card in rows}
