"""Statements on the answer path, built once and run with bound parameters.

Building a SQLAlchemy statement costs more CPU than running it on SQLite, so the queries every
turn sends are module constants (`bindparam` for what varies) or, where the SQL differs
between databases (INSERT … ON CONFLICT), built once per dialect with `per_dialect`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def per_dialect(build: Callable[[Any], T]) -> Callable[[AsyncSession], T]:
    """`build(insert)` once per database kind, `insert` being that dialect's (ON CONFLICT)."""
    built: dict[str, T] = {}

    def statement(session: AsyncSession) -> T:
        name = session.get_bind().dialect.name
        if name not in built:
            built[name] = build(INSERTS[name])
        return built[name]

    return statement
