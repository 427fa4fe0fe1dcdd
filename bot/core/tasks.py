"""Background work of one process: started after a commit or an ack, tracked, drained at stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[], Awaitable[object]]
"""Work of its own transactions, started once the caller's transaction has committed."""
PENDING = "microcred_after_commit"


class Transaction(Protocol):
    """What the runner needs of a database transaction (storage/db.py adapts a session)."""

    @property
    def info(self) -> dict[str, Any]:
        """Kept for as long as the transaction lives."""
        ...

    def on_commit(self, fire: Callable[[], None]) -> None: ...

    def on_rollback(self, forget: Callable[[], None]) -> None: ...


class Tasks:
    """Every task is kept referenced (asyncio holds tasks weakly), its failure logged, and
    `drain` waits for what is running; work queued in a transaction that rolls back never runs.
    """

    def __init__(self) -> None:
        self.running: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, T], *, what: str) -> asyncio.Task[T]:
        """Run `work` now, in the running loop, tracked until it ends."""
        task = asyncio.get_running_loop().create_task(work, name=what)
        self.running.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self.running.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("%s failed; its sweep retries it", task.get_name(), exc_info=exc)

    def after_commit(
        self, transaction: Transaction, work: Work, *, what: str, once: str | None = None
    ) -> None:
        """Run `work` once `transaction` commits, in the order queued; never if it rolls back.

        With `once`, work under that name runs once per transaction, after everything queued
        before the last time it was asked for (a send that follows each job, say).
        """
        pending: list[tuple[str, Work]] | None = transaction.info.get(PENDING)
        if pending is None:
            pending = transaction.info[PENDING] = []
            settled = False

            def fire() -> None:
                nonlocal settled
                if settled:
                    return
                settled = True
                queued = list(transaction.info.pop(PENDING, ()))
                what = ", ".join(dict.fromkeys(w for w, _ in queued))
                try:
                    asyncio.get_running_loop()
                except RuntimeError:  # a synchronous caller: the owning sweep does the work
                    log.debug("no event loop for %s; its sweep will do it", what)
                    return
                if queued:
                    self.spawn(_in_order(queued), what=what)

            def forget() -> None:
                nonlocal settled
                if not settled:
                    settled = True
                    transaction.info.pop(PENDING, None)

            transaction.on_commit(fire)
            transaction.on_rollback(forget)
        if once is not None:
            pending[:] = [(name, queued) for name, queued in pending if name != once]
        pending.append((once or what, work))

    async def drain(self, timeout: float | None = 20.0) -> None:
        """Wait for running work, including work it starts, up to `timeout` seconds; then
        cancel what is left."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self.running:
            left = None if deadline is None else max(0.0, deadline - loop.time())
            _, late = await asyncio.wait(set(self.running), timeout=left)
            if late and deadline is not None and loop.time() >= deadline:
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)
                log.warning("stopped %d background task(s) that outlived the drain", len(late))
                return


async def _in_order(queued: list[tuple[str, Work]]) -> None:
    """One failure is logged and does not stop the work queued after it."""
    for what, work in queued:
        try:
            await work()
        except Exception:
            log.exception("%s after a commit failed; its sweep retries it", what)
