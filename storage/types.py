"""Column types and fields shared by the models."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite keeps no offset, so values are stored as naive UTC and come back aware; PostgreSQL stores
    `timestamptz`. Naive datetimes are refused: they are always a bug in the caller.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def parent_id(table: str, *, unique: bool = False, primary_key: bool = False) -> Any:
    """A row's parent, `table.id`: the row goes when its parent goes. Indexed, unless the parent's id is
    the row's unique or primary key (which serves as the index): a parent with at most one such row.

    A field, not a column, so that a base model can declare it: each table builds its own column.
    """
    return Field(
        foreign_key=f"{table}.id",
        ondelete="CASCADE",
        nullable=False,
        index=not unique and not primary_key,
        unique=unique,
        primary_key=primary_key,
    )
