"""What the queries modules do alike: add and find rows, list a network's, count what a statement changed.

Helpers for the `queries_*` modules, whose own functions stay keyword-only; like them, nothing here
commits (the caller's unit of work does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy import Delete
from sqlalchemy import Update
from sqlmodel import Session
from sqlmodel import SQLModel
from sqlmodel import col
from sqlmodel import select

from storage.models import Network
from storage.models.base import AnswerPeriod
from storage.models.base import AnswerPeriodStatus
from storage.models.base import NetworkRow
from storage.models.base import OnePerNetwork

Row = TypeVar("Row", bound=SQLModel)
RowOfNetwork = TypeVar("RowOfNetwork", bound=NetworkRow)
OneRowOfNetwork = TypeVar("OneRowOfNetwork", bound=OnePerNetwork)


def add_row(session: Session, row: Row) -> Row:
    """Add a new row and flush, so its id is known and its unique keys are checked now."""
    session.add(row)
    session.flush()
    return row


def delete_rows(session: Session, rows: Iterable[object]) -> None:
    for row in rows:
        session.delete(row)
    session.flush()


def find_row(session: Session, model: type[Row], *, for_update: bool = False, **values: Any) -> Row | None:
    """The row of `model` whose columns hold these values (a unique key's); `for_update` locks it until
    commit (PostgreSQL; SQLite serialises writers anyway)."""
    statement = select(model).filter_by(**values)
    if for_update:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def rows_of_network(
    session: Session,
    model: type[RowOfNetwork],
    network_id: int,
    *conditions: ColumnElement[bool] | bool,
    order_by: Iterable[Any] = (),
) -> list[RowOfNetwork]:
    """The network's rows of `model` that meet `conditions`, in `order_by` order, then in the order they
    were added."""
    statement = (
        select(model)
        .where(col(model.network_id) == network_id, *conditions)
        .order_by(*(col(column) for column in order_by), col(model.id))
    )
    return list(session.exec(statement))


def rows_under(
    session: Session, model: type[Row], parent_key: Any, parent_ids: Iterable[int], *, order_by: Iterable[Any]
) -> list[Row]:
    """The rows of `model` whose `parent_key` is one of `parent_ids`, in `order_by` order."""
    ids = list(parent_ids)
    if not ids:
        return []
    statement = select(model).where(col(parent_key).in_(ids)).order_by(*(col(column) for column in order_by))
    return list(session.exec(statement))


def ids_due_to_close(session: Session, model: type[AnswerPeriod], now: datetime) -> list[int]:
    """The ids of `model`'s open answer periods (thermometer rounds, wrap-ups) whose `closes_at` has come,
    the first due first."""
    statement = (
        select(model.id)
        .where(col(model.status) == AnswerPeriodStatus.OPEN, col(model.closes_at) <= now)
        .order_by(col(model.closes_at))
    )
    return [row_id for row_id in session.exec(statement) if row_id is not None]


def live_networks_with(
    session: Session, model: type[OneRowOfNetwork], *conditions: ColumnElement[bool] | bool
) -> list[tuple[Network, OneRowOfNetwork | None]]:
    """Every network that is not archived, oldest first, with its one row of `model` (a schedule), None
    where it has none; with `conditions` on that row, only the networks whose row meets them."""
    statement = (
        select(Network, model)
        .outerjoin(model, col(model.network_id) == col(Network.id))
        .where(col(Network.archived_at).is_(None), *conditions)
        .order_by(col(Network.id))
    )
    return [(network, row) for network, row in session.exec(statement)]


def existing_keys(session: Session, key_column: Any, keys: Iterable[str]) -> set[str]:
    """Which of `keys` are claimed already in `key_column` (a run's unique key)."""
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.exec(select(key_column).where(col(key_column).in_(wanted))))


def changed_rows(session: Session, statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def changed_one(session: Session, statement: Update | Delete) -> bool:
    """Run a compare-and-set UPDATE (or DELETE) whose WHERE holds the expected state: of several processes
    racing for the row, exactly one gets True, whatever the isolation level."""
    return changed_rows(session, statement) == 1


@dataclass(frozen=True, slots=True)
class Backlog:
    """How many items of one kind wait to be worked, and since when the oldest does (for `status`)."""

    kind: str
    count: int
    oldest: datetime
