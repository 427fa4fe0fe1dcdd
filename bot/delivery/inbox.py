"""The local inbox: scheduled messages for playground and terminal learners, in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.core.errors import Unreachable
from bot.core.ports import Clock
from bot.core.views import Message
from bot.delivery.codec import dump_message, load_message
from storage.db import Database
from storage.models import InboxMessage
from storage.queries.inbox import inbox_message_id, inbox_rows_since, set_inbox_message
from storage.queries.people import person_by_identity

PREFIX = "local:inbox:"


class InboxMessenger:
    """`Messenger` for the `local` workspace; a key is stored once (it is its own reconciler)."""

    platform = "local"

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    async def find_sent(
        self, identity: str, key: str, *, since: datetime | None = None
    ) -> str | None:
        async with self.database.transaction() as session:
            found = await inbox_message_id(session, key=key)
        return f"{PREFIX}{found}" if found is not None else None

    async def send_direct(self, identity: str, message: Message, *, key: str) -> str:
        try:
            async with self.database.transaction() as session:
                person = await person_by_identity(session, identity=identity)
                row = InboxMessage(
                    person_id=person.id if person else None,
                    identity=identity,
                    key=key,
                    message=dump_message(message),
                    created_at=self.clock.now(),
                )
                session.add(row)
                await session.flush()
                return f"{PREFIX}{row.id}"
        except IntegrityError:
            found = await self.find_sent(identity, key)
            if found is None:
                raise
            return found

    async def post_channel(self, channel: str, message: Message, *, key: str) -> str:
        raise Unreachable(f"{channel}: the local workspace has no channels")

    async def update(self, ref: str, message: Message) -> None:
        row_id = int(ref.removeprefix(PREFIX))
        async with self.database.transaction() as session:
            await set_inbox_message(session, row_id=row_id, message=dump_message(message))


async def inbox_since(
    database: Database, *, identity: str, after: int, limit: int = 20
) -> list[tuple[int, Message]]:
    """A local learner's scheduled messages newer than id `after`, oldest first."""
    async with database.transaction() as session:
        rows = await inbox_rows_since(session, identity=identity, after=after, limit=limit)
        return [(row_id, load_message(data)) for row_id, data in rows]
