"""What the current event is, for log lines and metrics: its id and its SQL statement tally."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

EVENT_ID: ContextVar[str] = ContextVar("microcred_event_id", default="")
"""The inbound event id (or the outbox row key) being handled; JSON log lines carry it."""
_STATEMENTS: ContextVar[list[int] | None] = ContextVar("microcred_statements", default=None)


def count_statement() -> None:
    """One SQL statement ran (storage's engine calls this); it counts for the current event."""
    tally = _STATEMENTS.get()
    if tally is not None:
        tally[0] += 1


@contextmanager
def current_event(event_id: str) -> Iterator[Callable[[], int]]:
    """Within the block `EVENT_ID` is `event_id` (when given) and statements are counted;
    yields a function returning the count so far."""
    tally = [0]
    counting = _STATEMENTS.set(tally)
    naming = EVENT_ID.set(event_id) if event_id else None
    try:
        yield lambda: tally[0]
    finally:
        if naming is not None:
            EVENT_ID.reset(naming)
        _STATEMENTS.reset(counting)


@contextmanager
def named_event(event_id: str) -> Iterator[None]:
    """Within the block `EVENT_ID` is `event_id` (a send of the outbox row with that key)."""
    naming = EVENT_ID.set(event_id)
    try:
        yield
    finally:
        EVENT_ID.reset(naming)
