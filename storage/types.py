"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


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


def parent_id(table: str, *, index: bool = True, primary_key: bool = False) -> Column[int]:
    """A row's parent, `table.id`: the row goes when its parent goes."""
    return Column(
        Integer,
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=False,
        index=index and not primary_key,
        primary_key=primary_key,
    )
