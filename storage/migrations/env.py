"""Alembic environment: runs migrations on the synchronous engine of DATABASE_URL.

SQLite alters a table by copying it and dropping the old copy; with foreign keys enforced,
that drop would cascade to (delete) every row referencing the table. So, as SQLite's own
procedure for schema changes says, migrations run with foreign keys off, and each revision
checks them (`PRAGMA foreign_key_check`) before it commits.
"""

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo

from storage.db import sync_engine
from storage.migrate import include_object
from storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "storage.migrate sets sqlalchemy.url"


def _foreign_keys_hold(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Refuse to commit a revision that left rows pointing at nothing (SQLite)."""
    assert ctx.connection is not None
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RuntimeError(f"revision {step.up_revision_id} broke foreign keys in {tables}")


engine = sync_engine(url)
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction
        if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("could not turn SQLite's foreign keys off for the migration")
        connection.commit()  # end the autobegun transaction: Alembic runs its own per revision
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_object=include_object,
        on_version_apply=_foreign_keys_hold if sqlite else None,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
