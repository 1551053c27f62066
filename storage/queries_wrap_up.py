"""Queries of the closing ritual: keyword-only, add/flush/select; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import SQLModel
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseFollowUp
from storage.models import FollowUpState
from storage.models import Meeting
from storage.models import WrapUp
from storage.models import WrapUpAnswer
from storage.models.base import AnswerPeriodStatus
from storage.models.wrap_up import WrapUpProgress
from storage.rows import add_row
from storage.rows import changed_one
from storage.rows import delete_rows
from storage.rows import find_row
from storage.rows import ids_due_to_close
from storage.rows import rows_of_network
from storage.rows import rows_under


def add_wrap_up(*, session: Session, wrap_up: WrapUp) -> WrapUp:
    """Insert a wrap-up; the unique key on its network refuses a second (at flush or commit)."""
    return add_row(session, wrap_up)


def get_wrap_up(*, session: Session, wrap_up_id: int) -> WrapUp | None:
    return session.get(WrapUp, wrap_up_id)


def wrap_up_of_network(*, session: Session, network_id: int) -> WrapUp | None:
    return find_row(session, WrapUp, network_id=network_id)


def due_to_close(*, session: Session, now: datetime) -> list[int]:
    return ids_due_to_close(session, WrapUp, now)


def due_to_remind(*, session: Session, now: datetime, until: datetime) -> list[int]:
    """Open wrap-ups not reminded yet that close after `now` and before `until`: one whose close is past
    (the bot was down) is closed, not reminded of."""
    statement = (
        select(WrapUp.id)
        .where(
            WrapUp.status == AnswerPeriodStatus.OPEN,
            col(WrapUp.reminded_at).is_(None),
            col(WrapUp.closes_at) > now,
            col(WrapUp.closes_at) <= until,
        )
        .order_by(col(WrapUp.closes_at))
    )
    return [wrap_up_id for wrap_up_id in session.exec(statement) if wrap_up_id is not None]


def claim_reminder(*, session: Session, wrap_up_id: int, now: datetime) -> bool:
    """Mark the wrap-up reminded if it was not: of several processes, exactly one gets True."""
    return changed_one(
        session,
        update(WrapUp)
        .where(
            col(WrapUp.id) == wrap_up_id,
            col(WrapUp.status) == AnswerPeriodStatus.OPEN,
            col(WrapUp.reminded_at).is_(None),
        )
        .values(reminded_at=now),
    )


def get_answer(*, session: Session, wrap_up_id: int, user_id: str) -> WrapUpAnswer | None:
    return find_row(session, WrapUpAnswer, wrap_up_id=wrap_up_id, user_id=user_id)


def answers_of(*, session: Session, wrap_up_id: int) -> list[WrapUpAnswer]:
    statement = (
        select(WrapUpAnswer).where(WrapUpAnswer.wrap_up_id == wrap_up_id).order_by(col(WrapUpAnswer.id))
    )
    return list(session.exec(statement))


def answers_of_network(*, session: Session, network_id: int) -> list[WrapUpAnswer]:
    return rows_of_network(session, WrapUpAnswer, network_id)


def progress_of(*, session: Session, answer_ids: Sequence[int]) -> list[WrapUpProgress]:
    by_id = [WrapUpProgress.id]
    return rows_under(session, WrapUpProgress, WrapUpProgress.answer_id, answer_ids, order_by=by_id)


def replace_progress(*, session: Session, answer_id: int, levels: dict[str, int]) -> None:
    delete_rows(session, progress_of(session=session, answer_ids=[answer_id]))
    for goal_key, level in levels.items():
        session.add(WrapUpProgress(answer_id=answer_id, goal_key=goal_key, level=level))
    session.flush()


def save(*, session: Session, row: SQLModel) -> None:
    add_row(session, row)


def life_counts(*, session: Session, network_id: int) -> dict[str, int]:
    """The figures of the network's life: meetings, cases, advice given, follow-ups answered."""
    meetings = select(func.count()).select_from(Meeting).where(Meeting.network_id == network_id)
    cases = select(func.count()).select_from(Case).where(Case.network_id == network_id)
    advice = (
        select(func.count())
        .select_from(CaseAdvice)
        .join(Case, col(Case.id) == col(CaseAdvice.case_id))
        .where(Case.network_id == network_id, col(CaseAdvice.removed).is_(False))
    )
    follow_ups = (
        select(func.count())
        .select_from(CaseFollowUp)
        .join(Case, col(Case.id) == col(CaseFollowUp.case_id))
        .where(Case.network_id == network_id, CaseFollowUp.state == FollowUpState.ANSWERED)
    )
    return {
        "sessions": int(session.exec(meetings).one()),
        "cases": int(session.exec(cases).one()),
        "advice": int(session.exec(advice).one()),
        "follow_ups": int(session.exec(follow_ups).one()),
    }
