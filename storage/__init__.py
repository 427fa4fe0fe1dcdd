"""The data layer: typed SQLAlchemy 2 models, query functions and Alembic migrations."""
