"""Queries of a network's pauses."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import NetworkPause
from storage.rows import add_row
from storage.rows import delete_rows
from storage.rows import rows_of_network


def pauses_of(
    *, session: Session, network_id: int, ending_on_or_after: date | None = None
) -> list[NetworkPause]:
    """The network's pauses in date order; with `ending_on_or_after`, only those not over by then."""
    not_over = () if ending_on_or_after is None else (col(NetworkPause.ends_on) >= ending_on_or_after,)
    return rows_of_network(session, NetworkPause, network_id, *not_over, order_by=[NetworkPause.starts_on])


def covering(*, session: Session, network_id: int, day: date) -> NetworkPause | None:
    return overlapping(session=session, network_id=network_id, starts_on=day, ends_on=day)


def overlapping(*, session: Session, network_id: int, starts_on: date, ends_on: date) -> NetworkPause | None:
    statement = select(NetworkPause).where(
        NetworkPause.network_id == network_id,
        col(NetworkPause.starts_on) <= ends_on,
        col(NetworkPause.ends_on) >= starts_on,
    )
    return session.exec(statement).first()


def add(*, session: Session, pause: NetworkPause) -> NetworkPause:
    return add_row(session, pause)


def get(*, session: Session, pause_id: int) -> NetworkPause | None:
    return session.get(NetworkPause, pause_id)


def delete(*, session: Session, pause: NetworkPause) -> None:
    delete_rows(session, [pause])
