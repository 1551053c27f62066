"""The migrations' vocabulary: columns and tables with this schema's conventions spelled once.

Every table has an integer `id` key unless it names another, child rows go with their parent
(`ON DELETE CASCADE`), and constraints and indexes are named `pk_/fk_/uq_/ix_<table>_<columns>`, as
`storage.models` names them, so that a migrated database and the models compare equal.

A migration is frozen history: these builders only spell what a migration says. Change one only in a
way that leaves every existing migration's DDL as it is (tests/storage/test_migrations.py compares).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op


def text(name: str, length: int | None = None, *, null: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=null)


def number(name: str, *, null: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=null)


def flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False)


def day(name: str) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=False)


def moment(name: str, *, null: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=null)


def later_flag(name: str) -> sa.Column:
    """A flag added to a table that has rows: false for all of them."""
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


@dataclass(frozen=True, slots=True)
class Parent:
    """An integer column that points at `table.id`; the row goes when its parent goes."""

    column: str
    table: str


def child_of(table: str, column: str = "") -> Parent:
    return Parent(column=column or f"{table}_id", table=table)


def create_table(
    name: str,
    *items: sa.Column | Parent | sa.CheckConstraint,
    key: str = "id",
    unique: Sequence[Sequence[str]] = (),
    indexes: Sequence[str | Sequence[str]] = (),
) -> None:
    """Create `name` with its columns in the order given; `key` is the primary key column, an
    integer `id` put first unless the table names another or gives `id` a type of its own."""
    named = {item.name for item in items if isinstance(item, sa.Column)}
    columns: list[sa.SchemaItem] = [number("id")] if key == "id" and "id" not in named else []
    parents: list[sa.SchemaItem] = []
    checks: list[sa.SchemaItem] = []
    for item in items:
        if isinstance(item, Parent):
            columns.append(number(item.column))
            parents.append(
                sa.ForeignKeyConstraint(
                    [item.column],
                    [f"{item.table}.id"],
                    name=f"fk_{name}_{item.column}_{item.table}",
                    ondelete="CASCADE",
                )
            )
        elif isinstance(item, sa.CheckConstraint):
            checks.append(item)
        else:
            columns.append(item)
    op.create_table(
        name,
        *columns,
        sa.PrimaryKeyConstraint(key, name=f"pk_{name}"),
        *parents,
        *(sa.UniqueConstraint(*group, name=f"uq_{name}_{'_'.join(group)}") for group in unique),
        *checks,
    )
    for indexed in indexes:
        group = [indexed] if isinstance(indexed, str) else list(indexed)
        op.create_index(f"ix_{name}_{'_'.join(group)}", name, group)


def drop_table(name: str, *, indexes: Sequence[str | Sequence[str]] = ()) -> None:
    for indexed in indexes:
        group = [indexed] if isinstance(indexed, str) else list(indexed)
        op.drop_index(f"ix_{name}_{'_'.join(group)}", table_name=name)
    op.drop_table(name)


def add_columns(table: str, *columns: sa.Column) -> None:
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.add_column(column)


def drop_columns(table: str, *names: str) -> None:
    with op.batch_alter_table(table) as batch:
        for name in names:
            batch.drop_column(name)
