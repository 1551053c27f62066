"""Queries for follow-ups and the lessons a network gathers. The caller's unit of work commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseFollowUp
from storage.models import CaseStatus
from storage.models import FollowUpState
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Network
from storage.queries_cases import parts_of_user
from storage.rows import add_row
from storage.rows import changed_one
from storage.rows import delete_rows
from storage.rows import find_row


def add(*, session: Session, follow_up: CaseFollowUp) -> CaseFollowUp:
    return add_row(session, follow_up)


def get(*, session: Session, follow_up_id: int, for_update: bool = False) -> CaseFollowUp | None:
    return find_row(session, CaseFollowUp, id=follow_up_id, for_update=for_update)


def of_case(*, session: Session, case_id: int) -> CaseFollowUp | None:
    return find_row(session, CaseFollowUp, case_id=case_id)


def answered_case_ids(*, session: Session, case_ids: list[int]) -> set[int]:
    statement = select(CaseFollowUp.case_id).where(
        col(CaseFollowUp.case_id).in_(case_ids), CaseFollowUp.state == FollowUpState.ANSWERED
    )
    return set(session.exec(statement))


def due(*, session: Session, now: datetime) -> list[tuple[int, int]]:
    """(id, asked_count) of the pending follow-ups whose time has come, in live networks, oldest first."""
    statement = (
        select(CaseFollowUp.id, CaseFollowUp.asked_count)
        .join(Case, col(Case.id) == col(CaseFollowUp.case_id))
        .join(Network, col(Network.id) == col(Case.network_id))
        .where(
            CaseFollowUp.state == FollowUpState.PENDING,
            col(CaseFollowUp.due_at) <= now,
            col(Network.archived_at).is_(None),
        )
        .order_by(col(CaseFollowUp.due_at), col(CaseFollowUp.id))
    )
    return [(follow_up_id or 0, asked) for follow_up_id, asked in session.exec(statement)]


def claim(*, session: Session, follow_up_id: int, asked_count: int, now: datetime) -> bool:
    """Mark the follow-up asked, unless another process did since it was read as due."""
    return changed_one(
        session,
        update(CaseFollowUp)
        .where(
            col(CaseFollowUp.id) == follow_up_id,
            col(CaseFollowUp.state) == FollowUpState.PENDING,
            col(CaseFollowUp.asked_count) == asked_count,
        )
        .values(state=FollowUpState.ASKED, asked_count=asked_count + 1, asked_at=now),
    )


def of_network(*, session: Session, network_id: int) -> list[tuple[CaseFollowUp, Case]]:
    statement = (
        select(CaseFollowUp, Case)
        .join(Case, col(Case.id) == col(CaseFollowUp.case_id))
        .where(Case.network_id == network_id, Case.status != CaseStatus.DELETED)
        .order_by(col(CaseFollowUp.id))
    )
    return [(follow_up, case) for follow_up, case in session.exec(statement)]


def of_owner(*, session: Session, network_id: int, user_id: str) -> list[CaseFollowUp]:
    return parts_of_user(CaseFollowUp, Case.owner_id, session=session, network_id=network_id, user_id=user_id)


def delete_of_case(*, session: Session, case_id: int) -> None:
    delete_rows(session, session.exec(select(CaseFollowUp).where(CaseFollowUp.case_id == case_id)))


def advisers(*, session: Session, case_id: int) -> list[str]:
    """Who gave the case advice (advice removed at its giver's request left out), first advice first."""
    statement = (
        select(CaseAdvice.giver_id)
        .where(CaseAdvice.case_id == case_id, col(CaseAdvice.removed).is_(False), CaseAdvice.giver_id != "")
        .order_by(col(CaseAdvice.id))
    )
    return list(dict.fromkeys(session.exec(statement)))


def _answered_in_the_open(network_id: int):  # type: ignore[no-untyped-def]
    """The answered follow-ups with their case, of the network's closed cases that are not confidential."""
    return (
        select(CaseFollowUp, Case)
        .join(Case, col(Case.id) == col(CaseFollowUp.case_id))
        .where(
            Case.network_id == network_id,
            Case.status == CaseStatus.CLOSED,
            col(Case.confidential).is_(False),
            CaseFollowUp.state == FollowUpState.ANSWERED,
        )
    )


def answered_between(
    *, session: Session, network_id: int, after: datetime | None, until: datetime
) -> list[tuple[CaseFollowUp, Case]]:
    """The network's follow-ups answered in (after, until], confidential cases left out, oldest first."""
    statement = (
        _answered_in_the_open(network_id)
        .where(col(CaseFollowUp.answered_at) <= until)
        .order_by(col(CaseFollowUp.answered_at), col(CaseFollowUp.id))
    )
    if after is not None:
        statement = statement.where(col(CaseFollowUp.answered_at) > after)
    return [(follow_up, case) for follow_up, case in session.exec(statement)]


def previous_meeting_start(*, session: Session, network_id: int, before: datetime) -> datetime | None:
    statement = (
        select(Meeting.starts_at)
        .where(Meeting.network_id == network_id, col(Meeting.starts_at) < before)
        .order_by(col(Meeting.starts_at).desc())
        .limit(1)
    )
    return session.exec(statement).first()


# ---------------------------------------------------------------------- the lessons


def case_lessons(*, session: Session, network_id: int) -> list[Case]:
    """Closed cases with a lesson: confidential ones only where their owner shared it."""
    statement = select(Case).where(
        Case.network_id == network_id,
        Case.status == CaseStatus.CLOSED,
        Case.lesson != "",
        col(Case.confidential).is_(False) | col(Case.lesson_shared).is_(True),
    )
    return list(session.exec(statement))


def follow_up_lessons(*, session: Session, network_id: int) -> list[tuple[CaseFollowUp, Case]]:
    """Answered follow-ups with a text, of cases that are not confidential."""
    statement = _answered_in_the_open(network_id).where(CaseFollowUp.answer != "")
    return [(follow_up, case) for follow_up, case in session.exec(statement)]


def shared_takeaways(*, session: Session, network_id: int) -> list[tuple[str, Meeting]]:
    """Meeting take-aways their writers chose to share (who wrote them is not kept)."""
    statement = (
        select(MeetingEvaluation.takeaway, Meeting)
        .join(Meeting, col(Meeting.id) == col(MeetingEvaluation.meeting_id))
        .where(
            Meeting.network_id == network_id,
            col(MeetingEvaluation.share_takeaway).is_(True),
            MeetingEvaluation.takeaway != "",
        )
        .order_by(col(MeetingEvaluation.takeaway))
    )
    return [(takeaway, meeting) for takeaway, meeting in session.exec(statement)]
