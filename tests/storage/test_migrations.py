"""Migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import sync_engine
from storage.migrate import alembic_config, include_object
from storage.models import Base


def test_one_linear_history() -> None:
    """One base, one head, no merges or branch points, and every file on the chain (file names
    are revision ids, not the order: 0003 comes before 0002)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    chain = list(scripts.walk_revisions())  # head first
    assert len(scripts.get_heads()) == 1 and len(scripts.get_bases()) == 1
    assert all(not isinstance(r.down_revision, tuple | list) for r in chain)  # no merges
    for newer, older in pairwise(chain):
        assert newer.down_revision == older.revision
    files = sorted(Path(scripts.versions).glob("[0-9]*.py"))
    assert len(chain) == len(files) >= 13
    assert {r.revision for r in chain} == {f.name.split("_", 1)[0] for f in files}


def test_upgraded_schema_matches_the_models(db_url: str) -> None:
    engine = sync_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": False}
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
