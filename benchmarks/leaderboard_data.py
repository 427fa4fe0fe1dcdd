"""Data for benchmarks/leaderboard.py: learners, teams, a year of scored attempts, bulk-loaded.

Rows go straight into the migrated schema: SQLite through `executemany` with SQLAlchemy's
own bind processors (so values are stored exactly as the application stores them), and
PostgreSQL through `COPY`. The leaderboard totals are what the application would hold
after a year of awards and its nightly pruning: all time, plus this and last week and month.
"""

from __future__ import annotations

import bisect
import random
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import ColumnDefault, Table
from sqlalchemy.engine import Dialect, make_url

from bot.engagement.periods import ALL, ORG, oldest_kept, period_key, program_board, team_board
from storage.models import Base

WORKSPACE = "slack:TBENCH"
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
"""A Wednesday afternoon: this week holds three days of activity."""
PROGRAMS = ("secure-coding", "effective-feedback", "data-privacy")
CHOICES = (("named", 0.35), ("anonymous", 0.10), ("off", 0.05))
CHUNK = 50_000


@dataclass(frozen=True)
class Spec:
    learners: int = 50_000
    teams: int = 500
    attempts: int = 1_000_000
    days: int = 365
    seed: int = 7


@dataclass
class Loaded:
    """What the timing needs to know about the generated data."""

    choice: dict[int, str | None] = field(default_factory=dict)
    team_of: dict[int, int] = field(default_factory=dict)
    enrollments: list[tuple[int, int, str]] = field(default_factory=list)
    totals_rows: int = 0
    next_attempt: int = 0


class Writer:
    """Bulk rows into one table: every column in order, defaults for the ones not given."""

    def __init__(self, target: Any, table: Table, dialect: Dialect | None) -> None:
        self.target, self.table, self.dialect = target, table, dialect
        self.columns = [c.name for c in table.columns]
        self.procs = {
            c.name: c.type._cached_bind_processor(dialect) if dialect is not None else None
            for c in table.columns
        }

    def _filler(self, name: str) -> Any:
        column = self.table.c[name]
        default = column.default.arg if isinstance(column.default, ColumnDefault) else None
        if default is not None and not callable(default):
            value: Any = default
        elif column.nullable:
            return None
        else:
            python = getattr(column.type, "impl", column.type).python_type
            value = {str: "", int: 0, float: 0.0, bool: False, datetime: NOW, date: NOW.date()}[
                python
            ]
        proc = self.procs[name]
        return proc(value) if proc is not None else value

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        template: list[Any] = []
        plan: list[tuple[int, str, Any]] = []
        count = 0
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            if not plan:
                generated = {c.name for c in self.table.columns if c.autoincrement is True}
                self.columns = [c for c in self.columns if c in row or c not in generated]
                template = [None if c in row else self._filler(c) for c in self.columns]
                plan = [(i, c, self.procs[c]) for i, c in enumerate(self.columns) if c in row]
            out = list(template)
            for index, name, proc in plan:
                value = row[name]
                out[index] = proc(value) if proc is not None and value is not None else value
            batch.append(tuple(out))
            if len(batch) >= CHUNK:
                count += self._flush(batch)
                batch = []
        return count + self._flush(batch)

    def _flush(self, batch: list[tuple[Any, ...]]) -> int:
        if not batch:
            return 0
        names = ", ".join(f'"{c}"' for c in self.columns)
        if isinstance(self.target, sqlite3.Connection):
            marks = ", ".join("?" for _ in self.columns)
            self.target.executemany(
                f"INSERT INTO {self.table.name} ({names}) VALUES ({marks})", batch
            )
        else:
            with self.target.cursor().copy(f"COPY {self.table.name} ({names}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        return len(batch)


def _weights(rng: random.Random, n: int) -> list[float]:
    """Some learners are far more active than others (a long tail)."""
    return [rng.paretovariate(1.3) for _ in range(n)]


def people_rows(spec: Spec, rng: random.Random, loaded: Loaded) -> Iterator[dict[str, Any]]:
    for pid in range(1, spec.learners + 1):
        loaded.team_of[pid] = (pid - 1) % spec.teams + 1
        draw, choice = rng.random(), None
        for name, share in CHOICES:
            if draw < share:
                choice = name
                break
            draw -= share
        loaded.choice[pid] = choice
        yield {"id": pid, "workspace_id": WORKSPACE, "display_name": f"Learner {pid}"}


def attempt_rows(
    spec: Spec, rng: random.Random, loaded: Loaded, totals: dict[tuple[str, str, int], int]
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(attempt, its ledger entry or None) over the year, adding to the kept totals."""
    by_person: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for eid, pid, program in loaded.enrollments:
        by_person[pid].append((eid, program))
    cum = list(_cumulative(_weights(rng, spec.learners)))
    week, month = period_key("week", NOW), period_key("month", NOW)
    kept = {week, month, *oldest_kept(NOW)}
    periods_of: dict[date, list[str]] = {}
    for n in range(1, spec.attempts + 1):
        pid = bisect.bisect(cum, rng.random() * cum[-1]) + 1
        eid, program = rng.choice(by_person[pid])
        at = NOW - timedelta(seconds=rng.random() * spec.days * 86400)
        points = rng.choice((0, 1, 1, 2, 2, 3))
        attempt = {
            "id": n,
            "workspace_id": WORKSPACE,
            "enrollment_id": eid,
            "program_id": program,
            "quiz_id": "bench",
            "question_id": str(n),
            "quiz_run": 0,
            "try_no": 1,
            "content_hash": "bench",
            "status": "scored",
            "points": float(points),
            "max_points": 3.0,
            "correct": points == 3,
            "scorer": "exact",
            "created_at": at,
        }
        entry = None
        if points:
            entry = {
                "workspace_id": WORKSPACE,
                "person_id": pid,
                "program_id": program,
                "kind": "first_try",
                "key": f"attempt:{n}",
                "item": f"bench/{n}",
                "points": points,
                "quality": points / 3,
                "day": at.date(),
                "earned_at": at,
            }
            day = at.date()
            if day not in periods_of:
                found = (period_key("week", at), period_key("month", at))
                periods_of[day] = [ALL, *(p for p in found if p in kept)]
            periods = periods_of[day]
            for board in (ORG, program_board(program), team_board(loaded.team_of[pid])):
                for period in periods:
                    totals[(board, period, pid)] += points
        loaded.next_attempt = n + 1
        yield attempt, entry


def _cumulative(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def load(url: str, spec: Spec, dialect: Dialect | None) -> Loaded:
    """Fill a migrated database; `dialect` is SQLite's (bind processors) or None (COPY)."""
    rng, loaded = random.Random(spec.seed), Loaded()
    sqlite = make_url(url).get_backend_name() == "sqlite"
    conn: Any = (
        sqlite3.connect(make_url(url).database or "")
        if sqlite
        else psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    )
    if sqlite:  # a bulk load: no fsync, and room for the indexes in memory
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-1000000")
    tables = Base.metadata.tables

    def writer(name: str) -> Writer:
        return Writer(conn, tables[name], dialect)

    writer("workspaces").write([{"id": WORKSPACE, "platform": "slack", "name": "Bench"}])
    writer("badge_policies").write([{"workspace_id": WORKSPACE, "recognition": "announce"}])
    writer("teams").write(
        {"id": t, "workspace_id": WORKSPACE, "name": f"team {t}"} for t in range(1, spec.teams + 1)
    )
    writer("people").write(people_rows(spec, rng, loaded))
    writer("team_members").write({"team_id": t, "person_id": p} for p, t in loaded.team_of.items())
    writer("board_preferences").write(
        {"person_id": p, "choice": c, "updated_at": NOW} for p, c in loaded.choice.items() if c
    )
    eid = 0
    for pid in range(1, spec.learners + 1):
        for program in rng.sample(PROGRAMS, rng.randint(1, 3)):
            eid += 1
            loaded.enrollments.append((eid, pid, program))
    writer("enrollments").write(
        {
            "id": e,
            "workspace_id": WORKSPACE,
            "person_id": p,
            "program_id": prog,
            "program_hash": "b",
        }
        for e, p, prog in loaded.enrollments
    )
    totals: dict[tuple[str, str, int], int] = defaultdict(int)
    entries: list[dict[str, Any]] = []

    def attempts() -> Iterator[dict[str, Any]]:
        for attempt, entry in attempt_rows(spec, rng, loaded, totals):
            if entry is not None:
                entries.append(entry)
            yield attempt

    writer("attempts").write(attempts())
    writer("points_ledger").write(entries)
    listing = {None: 1, "named": 2, "anonymous": 2, "off": 0}
    loaded.totals_rows = writer("points_totals").write(
        {
            "workspace_id": WORKSPACE,
            "board": board,
            "period": period,
            "person_id": pid,
            "points": points,
            "listing": listing[loaded.choice[pid]],
        }
        for (board, period, pid), points in totals.items()
    )
    if not sqlite:
        for table in ("teams", "people", "enrollments", "attempts"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            conn.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
    conn.commit()
    if sqlite:
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA journal_mode=WAL")
    else:  # what autovacuum does in production: statistics and the visibility map
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    conn.close()
    return loaded
