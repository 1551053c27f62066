"""The columns, keys and indexes the migrations repeat, named as `storage.models` names them.

A released migration's effect never changes, so neither does what a builder here makes: each builds
exactly what the migrations spelled out before they shared it (tests/storage compares the migrated
schema with the models on SQLite and PostgreSQL). A new shape gets a new builder.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op


def id_key(table: str) -> tuple[sa.Column[int], sa.PrimaryKeyConstraint]:
    """An integer `id`, the table's primary key."""
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def parent_key(
    table: str, parent: str, column: str | None = None
) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    """An integer `<parent>_id` (or `column`) referring to the parent's `id`; the row goes with its parent."""
    column = column or f"{parent}_id"
    return (
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            [column], [f"{parent}.id"], name=f"fk_{table}_{column}_{parent}", ondelete="CASCADE"
        ),
    )


def timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """A moment, time-zone aware."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=f"uq_{table}_{'_'.join(columns)}")


def create_index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def drop_index(table: str, *columns: str) -> None:
    op.drop_index(f"ix_{table}_{'_'.join(columns)}", table_name=table)
