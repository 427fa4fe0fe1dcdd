"""Alembic environment: runs migrations on the synchronous engine of DATABASE_URL."""

from alembic import context

from storage.db import sync_engine
from storage.migrate import include_object
from storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "storage.migrate sets sqlalchemy.url"

engine = sync_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
