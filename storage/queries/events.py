"""Processed inbound events, claimed once so retries are absorbed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Table, bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import ProcessedEvent
from storage.prebuilt import INSERTS
from storage.turn_commit import Ride, riding

TABLE: Table = ProcessedEvent.__table__  # type: ignore[assignment]
_CLAIMS = {
    name: insert(TABLE)
    .values(key=bindparam("key"))
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(TABLE.c.key)
    for name, insert in INSERTS.items()
}


class _Duplicate(Exception):
    """The event id was claimed by an earlier turn: this one rolls back."""


@dataclass
class TurnClaim:
    """An event id claimed inside the turn's own transaction."""

    ride: Ride | None = None
    duplicate: bool = False
    """An earlier turn holds the claim: this turn rolled back."""

    @property
    def committed(self) -> bool:
        """The turn's transaction carried the claim and committed."""
        return self.ride is not None and self.ride.committed


class DatabaseEventClaims:
    """`EventClaims` on the processed_events table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(self, key: str) -> bool:
        """Claim `key` in a transaction of its own; False when it was claimed before."""
        try:
            async with self.database.transaction() as session:
                session.add(ProcessedEvent(key=key[:255]))
        except IntegrityError:
            return False
        return True

    @contextmanager
    def with_turn(self, key: str) -> Iterator[TurnClaim]:
        """Claim `key` in the first transaction the turn commits (`storage.turn_commit`); a
        turn whose key was claimed before rolls back, and the block ends with `duplicate`."""
        claim = TurnClaim()
        statement = _CLAIMS[self.database.dialect]
        params = {"key": key[:255]}

        def insert(session: Session) -> None:
            if session.execute(statement, params).first() is None:
                raise _Duplicate(key)

        try:
            with riding(insert) as ride:
                claim.ride = ride
                yield claim
        except _Duplicate:
            claim.duplicate = True
