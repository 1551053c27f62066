"""Queries of the network thermometer: keyword-only, add/flush/select; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Network
from storage.models import ThermometerAnswer
from storage.models import ThermometerRound
from storage.models.base import AnswerPeriodStatus
from storage.rows import add_row
from storage.rows import find_row
from storage.rows import ids_due_to_close
from storage.rows import rows_of_network
from storage.rows import rows_under


def add_round(*, session: Session, round_: ThermometerRound) -> ThermometerRound:
    """Insert a round; its unique key refuses a second one for the same run (at flush or commit)."""
    return add_row(session, round_)


def get_round(*, session: Session, round_id: int) -> ThermometerRound | None:
    return session.get(ThermometerRound, round_id)


def key_exists(*, session: Session, key: str) -> bool:
    return session.exec(select(ThermometerRound.id).where(ThermometerRound.key == key)).first() is not None


def open_rounds(*, session: Session, network_id: int) -> list[ThermometerRound]:
    statement = select(ThermometerRound).where(
        ThermometerRound.network_id == network_id, ThermometerRound.status == AnswerPeriodStatus.OPEN
    )
    return list(session.exec(statement))


def latest_opened_at(*, session: Session, network_id: int) -> datetime | None:
    statement = (
        select(ThermometerRound.opened_at)
        .where(ThermometerRound.network_id == network_id)
        .order_by(col(ThermometerRound.opened_at).desc())
    )
    return session.exec(statement).first()


def rounds_due_to_close(*, session: Session, now: datetime) -> list[int]:
    return ids_due_to_close(session, ThermometerRound, now)


def closed_rounds(
    *, session: Session, network_id: int, before: datetime | None = None, limit: int | None = None
) -> list[ThermometerRound]:
    """The network's closed rounds, latest first (closed before `before`, when given)."""
    statement = select(ThermometerRound).where(
        ThermometerRound.network_id == network_id, ThermometerRound.status == AnswerPeriodStatus.CLOSED
    )
    if before is not None:
        statement = statement.where(col(ThermometerRound.closed_at) < before)
    statement = statement.order_by(col(ThermometerRound.closed_at).desc(), col(ThermometerRound.id).desc())
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.exec(statement))


def rounds_of_network(*, session: Session, network_id: int) -> list[ThermometerRound]:
    return rows_of_network(session, ThermometerRound, network_id)


def get_answer(*, session: Session, round_id: int, respondent: str) -> ThermometerAnswer | None:
    return find_row(session, ThermometerAnswer, round_id=round_id, respondent=respondent)


def save_answer(*, session: Session, answer: ThermometerAnswer) -> None:
    add_row(session, answer)


def answers_of_rounds(*, session: Session, round_ids: Sequence[int]) -> list[ThermometerAnswer]:
    return rows_under(
        session, ThermometerAnswer, ThermometerAnswer.round_id, round_ids, order_by=[ThermometerAnswer.id]
    )


def live_networks(*, session: Session) -> list[Network]:
    statement = select(Network).where(col(Network.archived_at).is_(None)).order_by(col(Network.id))
    return list(session.exec(statement))
