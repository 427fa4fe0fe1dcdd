"""Peer review's outbox: posts queued in the deciding transaction, sent after it commits."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import Unreachable
from bot.core.messengers import Messengers, platform_of
from bot.core.ports import Clock, Messenger, ThreadReplies
from bot.core.tasks import Tasks, Work
from bot.core.views import Message
from bot.delivery.codec import dump_message, load_message
from storage.db import Database, SessionHooks
from storage.models import PeerPost, PeerSubmission, PostStatus
from storage.queries import review_posts as q

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_TRIES = 6

Draw = Callable[[AsyncSession, PeerPost], Awaitable[Message | None]]
"""Draws a thread's parent from the current state (None: the submission is gone)."""
Lost = Callable[[AsyncSession, PeerPost, str], Awaitable[None]]
"""Called when a post can never reach its address (a reviewer left, a channel is gone)."""


def backoff(tries: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(tries - 1, 0)))


class Outbox:
    """Queues posts in a session and sends them through the platforms' messengers."""

    def __init__(
        self,
        database: Database,
        messengers: Messengers,
        clock: Clock,
        local: Messenger,
        tasks: Tasks,
    ) -> None:
        self.database, self.messengers, self.clock, self.local = database, messengers, clock, local
        self.tasks = tasks
        self.draw: Draw | None = None
        self.lost: Lost | None = None

    # -- queueing (inside the caller's transaction) -----------------------------------

    async def parent(
        self, session: AsyncSession, sub: PeerSubmission, address: str, person_id: int | None
    ) -> None:
        """A thread's parent: in the review channel, or a reviewer's direct messages."""
        await self._add(session, sub, "parent", f"parent:{sub.id}:{address}", address, person_id)

    async def reply(
        self, session: AsyncSession, sub: PeerSubmission, message: Message, key: str
    ) -> None:
        """A reply under every parent of the submission (one thread per reviewer in DMs)."""
        for parent in await q.parents(session, submission_id=sub.id):
            if parent.status == PostStatus.DEAD:
                continue
            await self._add(
                session,
                sub,
                "reply",
                f"reply:{key}:{parent.id}",
                parent.address,
                parent.person_id,
                message=message,
                parent_id=parent.id,
            )

    async def direct(
        self,
        session: AsyncSession,
        sub: PeerSubmission | None,
        identity: str,
        person_id: int,
        message: Message,
        key: str,
        purpose: str,
    ) -> None:
        """A direct message to one person (invitations, reminders, feedback)."""
        await self._add(
            session,
            sub,
            "direct",
            f"dm:{key}",
            identity,
            person_id,
            message=message,
            purpose=purpose,
        )

    async def refresh(self, session: AsyncSession, sub: PeerSubmission) -> None:
        """The status changed: every parent of the submission is drawn again."""
        await q.mark_stale(session, submission_id=sub.id)

    async def _add(
        self,
        session: AsyncSession,
        sub: PeerSubmission | None,
        kind: str,
        key: str,
        address: str,
        person_id: int | None,
        *,
        message: Message | None = None,
        parent_id: int | None = None,
        purpose: str = "",
    ) -> None:
        post = PeerPost(
            key=key[:255],
            workspace_id=sub.workspace_id if sub else address.rsplit(":", 1)[0],
            submission_id=sub.id if sub else None,
            kind=kind,
            purpose=purpose or kind,
            address=address,
            person_id=person_id,
            parent_id=parent_id,
            message=dump_message(message) if message is not None else None,
            status=PostStatus.PENDING,
            next_try_at=self.clock.now(),
        )
        await q.add_post(session, post)
        self.after_commit(session)

    # -- sending ------------------------------------------------------------------------

    def after_commit(self, session: AsyncSession, job: Work | None = None) -> None:
        """Send what this transaction queued as soon as it commits (after `job`, if any)."""
        hooks = SessionHooks(session)
        if job is not None:
            self.tasks.after_commit(hooks, job, what="peer review work")
        self.tasks.after_commit(hooks, self.deliver, what="peer review posts", once="peer-posts")

    async def drain(self) -> None:
        """Wait for sends started after commits (tests, shutdown)."""
        await self.tasks.drain()

    def messenger(self, address: str) -> Messenger | None:
        found = self.messengers.for_address(address)
        return found or (self.local if platform_of(address) == "local" else None)

    async def deliver(self) -> int:
        """Send every due post once (each is claimed first); returns how many went out."""
        now = self.clock.now()
        async with self.database.transaction() as session:
            due = await q.due_posts(session, now=now)
        done = 0
        for post_id in due:
            done += await self._one(post_id, now)
        return done

    async def _one(self, post_id: int, now: datetime) -> int:
        async with self.database.transaction() as session:
            post = await q.claim(session, post_id=post_id, now=now, lease=LEASE)
            if post is None:
                return 0
            parent = await session.get(PeerPost, post.parent_id) if post.parent_id else None
            if parent is not None and parent.status != PostStatus.SENT:
                if parent.status != PostStatus.DEAD:  # wait for the thread to exist
                    await q.finish(
                        session, post_id=post.id, status=PostStatus.PENDING, next_try_at=now
                    )
                    return 0
                parent = None
            shown = await self._message(session, post)
        messenger = self.messenger(post.address)
        if messenger is None and shown is not None:  # e.g. the CLI: the server sends it later
            async with self.database.transaction() as session:
                if post.status == PostStatus.SENT:
                    await q.finish(session, post_id=post.id, stale=True)
                else:
                    await q.finish(
                        session, post_id=post.id, status=PostStatus.PENDING, tries=post.tries - 1
                    )
            return 0
        try:
            if shown is None or messenger is None:
                ref = post.ref or ""
            else:
                ref = await self._send(messenger, post, parent, shown)
        except Unreachable as exc:
            await self._gone(post, str(exc))
            return 0
        except Exception as exc:  # retried with backoff; the log says why
            log.warning("peer review post %s to %s failed: %s", post.key, post.address, exc)
            await self._retry(post, now, str(exc))
            return 0
        async with self.database.transaction() as session:
            await q.finish(
                session,
                post_id=post.id,
                status=PostStatus.SENT,
                ref=ref[:255],
                sent_at=now,
                last_error="",
            )
        return 1

    async def _message(self, session: AsyncSession, post: PeerPost) -> Message | None:
        if post.kind == "parent":
            return await self.draw(session, post) if self.draw is not None else None
        return load_message(post.message)

    async def _send(
        self, messenger: Messenger, post: PeerPost, parent: PeerPost | None, shown: Message
    ) -> str:
        if post.kind == "parent" and post.status == PostStatus.SENT and post.ref:
            await messenger.update(post.ref, shown)
            return post.ref
        if post.kind == "parent" and not post.person_id:
            return await messenger.post_channel(post.address, shown, key=post.key)
        if parent is not None and parent.ref and isinstance(messenger, ThreadReplies):
            return await messenger.reply_in_thread(parent.ref, shown, key=post.key)
        return await messenger.send_direct(post.address, shown, key=post.key)

    async def _retry(self, post: PeerPost, now: datetime, error: str) -> None:
        async with self.database.transaction() as session:
            if post.status == PostStatus.SENT:  # an edit that failed: try again on the next sweep
                await q.finish(session, post_id=post.id, stale=True, last_error=error[:500])
            elif post.tries >= MAX_TRIES:
                log.error("peer review post %s gave up after %d tries", post.key, post.tries)
                await q.finish(
                    session, post_id=post.id, status=PostStatus.DEAD, last_error=error[:500]
                )
            else:
                await q.finish(
                    session,
                    post_id=post.id,
                    status=PostStatus.PENDING,
                    next_try_at=now + backoff(post.tries),
                    last_error=error[:500],
                )

    async def _gone(self, post: PeerPost, error: str) -> None:
        log.warning("peer review post %s cannot reach %s: %s", post.key, post.address, error)
        async with self.database.transaction() as session:
            if post.status == PostStatus.SENT:  # the thread exists; only its edit failed for good
                await q.finish(session, post_id=post.id, last_error=error[:500])
                return
            await q.finish(session, post_id=post.id, status=PostStatus.DEAD, last_error=error[:500])
            if self.lost is not None:
                await self.lost(session, post, error)
