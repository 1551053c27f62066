"""Queries for the safe group: a confidential case's guest experts, and forgetting a case's details.

Keyword-only functions that add, flush and select; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy import or_
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseFollowUp
from storage.models import CaseGuest
from storage.models import CaseStatus
from storage.rows import add_row
from storage.rows import changed_rows
from storage.rows import find_row
from storage.rows import rows_of_network


def get_guest(*, session: Session, case_id: int, user_id: str) -> CaseGuest | None:
    return find_row(session, CaseGuest, case_id=case_id, user_id=user_id)


def add_guest(*, session: Session, case_id: int, user_id: str, at: datetime) -> CaseGuest:
    return add_row(session, CaseGuest(case_id=case_id, user_id=user_id, invited_at=at))


def remove_guest(*, session: Session, case_id: int, user_id: str) -> bool:
    """Withdraw the invitation; False when there was none."""
    invitation = col(CaseGuest.case_id) == case_id, col(CaseGuest.user_id) == user_id
    removed = changed_rows(session, delete(CaseGuest).where(*invitation))
    session.flush()
    return removed > 0


def remove_guests(*, session: Session, case_id: int) -> None:
    session.execute(delete(CaseGuest).where(col(CaseGuest.case_id) == case_id))
    session.flush()


def list_guests(*, session: Session, case_id: int) -> list[CaseGuest]:
    statement = select(CaseGuest).where(CaseGuest.case_id == case_id)
    return list(session.exec(statement.order_by(col(CaseGuest.invited_at), col(CaseGuest.id))))


def invitations_of_user(*, session: Session, network_id: int, user_id: str) -> list[CaseGuest]:
    """The cases of the network this user was invited to read, for their own data and forgetting them."""
    statement = (
        select(CaseGuest)
        .join(Case, col(Case.id) == col(CaseGuest.case_id))
        .where(Case.network_id == network_id, CaseGuest.user_id == user_id)
    )
    return list(session.exec(statement.order_by(col(CaseGuest.id))))


def forget_details(*, session: Session, case: Case) -> None:
    """Blank what the case said, the advice it got and what its owner wrote in its follow-up (the plan and
    the answer); its title, lesson, counts and the follow-up's outcome stay."""
    session.execute(update(CaseAdvice).where(col(CaseAdvice.case_id) == case.id).values(text=""))
    session.execute(
        update(CaseFollowUp).where(col(CaseFollowUp.case_id) == case.id).values(plan="", answer="")
    )
    remove_guests(session=session, case_id=case.id or 0)
    case.situation = ""
    case.question = ""
    case.tried = ""
    session.add(case)
    session.flush()


def confidential_cases_with_details(*, session: Session, network_id: int) -> list[Case]:
    """The network's confidential cases whose details are still kept (deleted ones have none): what the case
    said, or what its owner wrote in its follow-up, which may come after the case's own details went."""
    follow_up_written = (
        select(CaseFollowUp.id)
        .where(col(CaseFollowUp.case_id) == Case.id)
        .where(or_(col(CaseFollowUp.plan) != "", col(CaseFollowUp.answer) != ""))
        .exists()
    )
    return rows_of_network(
        session,
        Case,
        network_id,
        col(Case.confidential).is_(True),
        Case.status != CaseStatus.DELETED,
        or_(Case.situation != "", follow_up_written),
    )
