"""Status columns: one StrEnum each, and a check constraint that refuses anything else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import ReflectedColumn

from storage import migrate
from storage.db import sync_engine
from storage.models import (
    AssignmentStatus,
    AttemptStatus,
    Base,
    ChallengeStatus,
    DueStatus,
    EngagementDueStatus,
    EnrollmentStatus,
    InboxEventStatus,
    OutboxStatus,
    PostStatus,
    RecallStatus,
    ScoreStatus,
    StepStatus,
    SubmissionStatus,
)

STATUSES: dict[str, type[StrEnum]] = {
    "enrollments": EnrollmentStatus,
    "step_progress": StepStatus,
    "attempts": AttemptStatus,
    "score_records": ScoreStatus,
    "due_items": DueStatus,
    "recall_cards": RecallStatus,
    "outbox": OutboxStatus,
    "challenges": ChallengeStatus,
    "engagement_due": EngagementDueStatus,
    "peer_submissions": SubmissionStatus,
    "peer_assignments": AssignmentStatus,
    "peer_posts": PostStatus,
    "event_inbox": InboxEventStatus,
}

# One row in every status table (and in quiz_runs, a child of enrollments no migration
# rebuilds), parents first; the other NOT NULL columns get placeholder values.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("workspaces", {"id": "w"}),
    ("people", {"id": 1, "workspace_id": "w"}),
    ("enrollments", {"id": 1, "workspace_id": "w", "person_id": 1, "status": "active"}),
    ("step_progress", {"enrollment_id": 1, "status": "passed"}),
    ("quiz_runs", {"enrollment_id": 1}),
    ("attempts", {"id": 1, "workspace_id": "w", "enrollment_id": 1, "status": "scored"}),
    ("score_records", {"workspace_id": "w", "attempt_id": 1, "status": "provisional"}),
    ("due_items", {"workspace_id": "w", "enrollment_id": 1, "status": "pending"}),
    ("recall_cards", {"workspace_id": "w", "enrollment_id": 1, "status": "active"}),
    ("outbox", {"workspace_id": "w", "enrollment_id": 1, "status": "claimed"}),
    ("challenges", {"id": 1, "workspace_id": "w", "status": "running"}),
    ("engagement_due", {"workspace_id": "w", "challenge_id": 1, "status": "done"}),
    (
        "peer_submissions",
        {"id": 1, "workspace_id": "w", "enrollment_id": 1, "author_id": 1, "status": "open"},
    ),
    ("peer_assignments", {"submission_id": 1, "reviewer_id": 1, "status": "released"}),
    ("peer_posts", {"workspace_id": "w", "submission_id": 1, "status": "sent"}),
    ("event_inbox", {"key": "w:1", "status": "claimed"}),
]


def _placeholder(column: ReflectedColumn) -> Any:
    kind = column["type"]
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float | sa.Numeric):
        return 1.0
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, tzinfo=UTC)
    return "x"


def _insert(conn: Connection, table: str, values: dict[str, Any]) -> None:
    """A row of `table` as the database has it now (any revision), from reflection."""
    required = {
        c["name"]: _placeholder(c)
        for c in sa.inspect(conn).get_columns(table)
        if not c["nullable"] and c["default"] is None and c["name"] != "id"
    }
    row = required | values
    conn.execute(sa.insert(sa.table(table, *map(sa.column, row))).values(row))


def _seed(url: str) -> None:
    engine = sync_engine(url)
    try:
        with engine.begin() as conn:
            present = set(sa.inspect(conn).get_table_names())
            for table, values in ROWS:
                if table in present:  # tables newer than the revision under test are left out
                    _insert(conn, table, values)
    finally:
        engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = sync_engine(db_url)
    yield engine
    engine.dispose()


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        present = set(sa.inspect(conn).get_table_names())
        return {
            table: int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table, _ in ROWS
            if table in present
        }


def _refused(engine: sa.Engine, table: str, value: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE {table} SET status = :value"), {"value": value})
    except sa.exc.IntegrityError:
        return True
    return False


def _allowed(text: str) -> list[str]:
    """The quoted values of a check's SQL, as written or as PostgreSQL shows it back."""
    return re.findall(r"'([^']*)'", text)


def test_every_status_column_has_its_enum_and_check() -> None:
    with_status = {t.name for t in Base.metadata.tables.values() if "status" in t.c}
    assert with_status == set(STATUSES)
    for name, enum in STATUSES.items():
        table = Base.metadata.tables[name]
        checks = [
            c
            for c in table.constraints
            if isinstance(c, sa.CheckConstraint) and c.name == f"ck_{name}_status"
        ]
        assert len(checks) == 1, name
        assert _allowed(str(checks[0].sqltext)) == [m.value for m in enum], name
        default = table.c.status.default
        assert default is None or default.arg in set(enum), name  # type: ignore[attr-defined]


def test_the_database_refuses_a_value_outside_the_enum(db_url: str, engine: sa.Engine) -> None:
    _seed(db_url)
    for table, enum in STATUSES.items():
        assert _refused(engine, table, "bogus"), table
        assert _refused(engine, table, next(iter(enum)).upper()), table  # values are exact
        for member in enum:
            assert not _refused(engine, table, member), (table, member)


def test_the_migrated_checks_are_the_models_checks(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in Base.metadata.sorted_tables:
            modelled = {
                str(c.name): _allowed(str(c.sqltext))
                for c in table.constraints
                if isinstance(c, sa.CheckConstraint)
            }
            found = {
                str(c["name"]): _allowed(c["sqltext"])
                for c in inspector.get_check_constraints(table.name)
            }
            assert found == modelled, table.name


def test_0014_keeps_rows_and_its_downgrade_lifts_the_checks(db_url: str, engine: sa.Engine) -> None:
    migrate.downgrade(db_url, "0013")
    _seed(db_url)
    before = _counts(engine)
    assert all(count == 1 for count in before.values())
    migrate.upgrade(db_url, "0014")
    assert _counts(engine) == before  # rebuilding a table on SQLite cascades to no child row
    assert _refused(engine, "enrollments", "bogus")
    migrate.downgrade(db_url, "0013")
    assert _counts(engine) == before
    assert not any(_refused(engine, table, "bogus") for table in STATUSES if table in before)


def test_0014_names_the_rows_it_would_refuse(db_url: str, engine: sa.Engine) -> None:
    migrate.downgrade(db_url, "0013")
    _seed(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE outbox SET status = 'lost'"))
    with pytest.raises(RuntimeError, match=r"outbox\.status holds values .*\['lost'\]"):
        migrate.upgrade(db_url, "0014")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0013"
