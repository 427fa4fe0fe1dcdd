"""Statements that commit with a turn's own transaction, whichever code opened it.

The engine's de-duplication claim and the inbox's "processed" mark must commit exactly when
the turn does. A turn is one transaction (`Journey.handle`), but the code around it (the
middleware, the inbox worker) does not hold its session; each registers a rider with `riding`,
and the first transaction committed in that context (tasks it starts share it) that is not
nested in another open one runs every rider in `before_commit`, in that same transaction. A
rider may raise to roll the turn back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

Rider = Callable[[Session], None]
"""Runs in the carrying transaction's `before_commit`; raising rolls that transaction back."""


@dataclass
class _Riding:
    riders: list[Rider]
    committed: bool = False
    """The transaction that carried the riders has committed."""
    carrying: int | None = None
    """The session whose commit carries them (until it commits or rolls back)."""
    open: set[int] = field(default_factory=set)
    """Sessions of this context whose transaction is open (to spot nested ones)."""


@dataclass(frozen=True)
class Ride:
    """A rider's view of its turn."""

    _state: _Riding

    @property
    def committed(self) -> bool:
        """The turn's transaction ran the rider and committed."""
        return self._state.committed


_riding: ContextVar[_Riding | None] = ContextVar("turn_commit_riding", default=None)


@contextmanager
def riding(rider: Rider) -> Iterator[Ride]:
    """Run `rider` inside the first top-level transaction committed in this context from now
    on; joins the riders of an enclosing `riding` whose transaction has not committed yet."""
    _install()
    state = _riding.get()
    if state is not None and not state.committed:
        state.riders.append(rider)
        try:
            yield Ride(state)
        finally:
            if not state.committed and rider in state.riders:
                state.riders.remove(rider)
        return
    state = _Riding([rider])
    token = _riding.set(state)
    try:
        yield Ride(state)
    finally:
        _riding.reset(token)


def _waiting() -> _Riding | None:
    state = _riding.get()
    return None if state is None or state.committed else state


def _after_begin(session: Session, transaction: SessionTransaction, connection: Any) -> None:
    if (state := _waiting()) is not None:
        state.open.add(id(session))


def _after_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and (state := _riding.get()) is not None:
        state.open.discard(id(session))


def _before_commit(session: Session) -> None:
    state = _waiting()
    if state is None or state.carrying is not None or id(session) not in state.open:
        return  # nothing waits, a commit carries them already, or it began before the ride
    if state.open - {id(session)}:
        return  # nested inside another open transaction: not the turn's own
    for rider in list(state.riders):
        rider(session)
    state.carrying = id(session)


def _after_commit(session: Session) -> None:
    state = _riding.get()
    if state is not None and state.carrying == id(session):
        state.committed = True


def _after_rollback(session: Session) -> None:
    state = _riding.get()
    if state is not None and not state.committed and state.carrying == id(session):
        state.carrying = None


_installed = False


def _install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_begin", _after_begin)
    event.listen(Session, "after_transaction_end", _after_end)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True
