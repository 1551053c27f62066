"""Queries for cases: keyword-only functions that add, flush and select. The caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseRecognition
from storage.models import CaseStatus
from storage.models.cases import CasePart
from storage.rows import add_row
from storage.rows import delete_rows
from storage.rows import find_row
from storage.rows import rows_of_network

Part = TypeVar("Part", bound=CasePart)


def parts_of_user(
    model: type[Part], user_column: Any, *, session: Session, network_id: int, user_id: str
) -> list[Part]:
    """The rows of `model`, a part of a case (its advice, recognitions, follow-up), that `user_column`
    ties to the user, in the network's cases (deleted ones too), oldest first."""
    statement = (
        select(model)
        .join(Case, col(Case.id) == col(model.case_id))
        .where(Case.network_id == network_id, user_column == user_id)
        .order_by(col(model.id))
    )
    return list(session.exec(statement))


def add_case(*, session: Session, case: Case) -> Case:
    return add_row(session, case)


def get_case(*, session: Session, case_id: int, for_update: bool = False) -> Case | None:
    """The case; `for_update` locks its row until commit (PostgreSQL; SQLite serialises writers anyway)."""
    return find_row(session, Case, id=case_id, for_update=for_update)


def get_case_by_card(*, session: Session, network_id: int, card_ts: str) -> Case | None:
    return find_row(session, Case, network_id=network_id, card_ts=card_ts)


def list_cases(*, session: Session, network_id: int, include_deleted: bool = False) -> list[Case]:
    not_deleted = () if include_deleted else (Case.status != CaseStatus.DELETED,)
    return rows_of_network(session, Case, network_id, *not_deleted, order_by=[Case.created_at])


def delete_case(*, session: Session, case: Case) -> None:
    delete_rows(session, [case])


def add_advice(*, session: Session, advice: CaseAdvice) -> CaseAdvice:
    return add_row(session, advice)


def get_advice(*, session: Session, advice_id: int) -> CaseAdvice | None:
    return session.get(CaseAdvice, advice_id)


def get_thread_advice(*, session: Session, case_id: int, message_ts: str) -> CaseAdvice | None:
    """The advice a reply in the case's thread became (the reply's ts names it)."""
    return find_row(session, CaseAdvice, case_id=case_id, message_ts=message_ts)


def delete_advice(*, session: Session, advice: CaseAdvice) -> None:
    session.delete(advice)
    session.flush()


def list_advice(*, session: Session, case_id: int) -> list[CaseAdvice]:
    statement = select(CaseAdvice).where(CaseAdvice.case_id == case_id)
    return list(session.exec(statement.order_by(col(CaseAdvice.created_at), col(CaseAdvice.id))))


def advice_counts(*, session: Session, case_ids: Iterable[int]) -> dict[int, int]:
    """How much advice each of these cases had; cases without any are left out."""
    return _count_per_case(session, CaseAdvice, case_ids)


def recognition_counts(*, session: Session, case_ids: Iterable[int]) -> dict[int, int]:
    """How many members recognise each of these cases; cases nobody recognises are left out."""
    return _count_per_case(session, CaseRecognition, case_ids)


def _count_per_case(
    session: Session, table: type[CaseAdvice] | type[CaseRecognition], case_ids: Iterable[int]
) -> dict[int, int]:
    ids = list(case_ids)
    if not ids:
        return {}
    statement = (
        select(table.case_id, func.count()).where(col(table.case_id).in_(ids)).group_by(col(table.case_id))
    )
    return {case_id: count for case_id, count in session.exec(statement)}


def has_recognised(*, session: Session, case_id: int, user_id: str) -> bool:
    statement = select(CaseRecognition.id).where(
        CaseRecognition.case_id == case_id, CaseRecognition.user_id == user_id
    )
    return session.exec(statement).first() is not None


def add_recognition(*, session: Session, case_id: int, user_id: str, at: datetime) -> CaseRecognition:
    return add_row(session, CaseRecognition(case_id=case_id, user_id=user_id, created_at=at))


def erase_case_texts(*, session: Session, case_id: int) -> None:
    """Blank every advice text of the case and forget who recognised it; the givers stay counted."""
    session.execute(update(CaseAdvice).where(col(CaseAdvice.case_id) == case_id).values(text=""))
    session.execute(delete(CaseRecognition).where(col(CaseRecognition.case_id) == case_id))
    session.flush()


def advice_given_by_member(*, session: Session, network_id: int) -> dict[str, int]:
    """Per giver, how much advice they gave on the network's cases (deleted cases included)."""
    statement = (
        select(CaseAdvice.giver_id, func.count())
        .join(Case, col(Case.id) == col(CaseAdvice.case_id))
        .where(Case.network_id == network_id)
        .group_by(col(CaseAdvice.giver_id))
    )
    return {giver_id: count for giver_id, count in session.exec(statement)}


def cases_brought_by_member(*, session: Session, network_id: int) -> dict[str, int]:
    """Per owner, how many cases they brought that are not deleted."""
    statement = (
        select(Case.owner_id, func.count())
        .where(Case.network_id == network_id, Case.status != CaseStatus.DELETED)
        .group_by(col(Case.owner_id))
    )
    return {owner_id: count for owner_id, count in session.exec(statement)}
