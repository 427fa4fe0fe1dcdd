"""Processed inbound events, claimed once so retries are absorbed."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import ProcessedEvent


class DatabaseEventClaims:
    """`EventClaims` on the processed_events table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(self, key: str) -> bool:
        try:
            async with self.database.transaction() as session:
                session.add(ProcessedEvent(key=key[:255]))
        except IntegrityError:
            return False
        return True

    async def release(self, key: str) -> None:
        async with self.database.transaction() as session:
            await session.execute(delete(ProcessedEvent).where(ProcessedEvent.key == key[:255]))
