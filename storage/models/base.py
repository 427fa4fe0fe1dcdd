"""Declarative base with a naming convention, so migrations name constraints stably."""

from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """A check that `column` holds one of the enum's values, named after the column
    (`ck_<table>_<column>`); migrations write the same SQL (`column IN ('a', 'b')`)."""
    allowed = ", ".join(repr(v.value) for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def status_check(values: type[StrEnum]) -> CheckConstraint:
    """The check on a table's `status` column: only the enum's values."""
    return one_of("status", values)
