"""The trajectory's sessions and roles, and the agenda items proposed for meetings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import SQLModel
from sqlmodel import col
from sqlmodel import select

from storage.models import AgendaItem
from storage.models import Case
from storage.models import Journey
from storage.models import JourneyRole
from storage.models import JourneySession
from storage.models import Meeting
from storage.rows import add_row
from storage.rows import changed_one
from storage.rows import delete_rows
from storage.rows import find_row
from storage.rows import rows_under


def get_journey(*, session: Session, network_id: int, lock: bool = False) -> Journey | None:
    return find_row(session, Journey, network_id=network_id, for_update=lock)


def save(*, session: Session, row: SQLModel) -> None:
    add_row(session, row)


def list_sessions(*, session: Session, journey_id: int) -> list[tuple[JourneySession, Meeting]]:
    statement = (
        select(JourneySession, Meeting)
        .join(Meeting, col(Meeting.id) == col(JourneySession.meeting_id))
        .where(JourneySession.journey_id == journey_id)
        .order_by(col(JourneySession.position))
    )
    return list(session.exec(statement).all())


def session_of_meeting(*, session: Session, meeting_id: int) -> JourneySession | None:
    return find_row(session, JourneySession, meeting_id=meeting_id)


def list_roles(*, session: Session, session_ids: Iterable[int]) -> list[JourneyRole]:
    by_session = [JourneyRole.session_id, JourneyRole.id]
    return rows_under(session, JourneyRole, JourneyRole.session_id, session_ids, order_by=by_session)


def get_role(*, session: Session, role_id: int) -> JourneyRole | None:
    return session.get(JourneyRole, role_id)


def still_as_read(*, session: Session, row: Journey | JourneyRole, fields: tuple[str, ...]) -> bool:
    """Whether `row` still holds in `fields` what was read; its row is then held until the commit, so
    that of two changes at the same moment (a double click, two facilitators saving) the second finds
    it changed."""
    model = type(row)
    return changed_one(
        session,
        update(model)
        .where(col(model.id) == row.id, *(col(getattr(model, name)) == getattr(row, name) for name in fields))
        .values({fields[0]: getattr(row, fields[0])}),
    )


def get_session(*, session: Session, session_id: int) -> JourneySession | None:
    return session.get(JourneySession, session_id)


def delete(*, session: Session, rows: Iterable[object]) -> None:
    delete_rows(session, rows)


def next_meeting(*, session: Session, network_id: int, now: datetime) -> Meeting | None:
    """The network's next meeting that has not started yet."""
    return _first_meeting(session, network_id, col(Meeting.starts_at) > now)


def current_or_next_meeting(*, session: Session, network_id: int, now: datetime) -> Meeting | None:
    """The network's meeting under way at `now`, else its next one."""
    return _first_meeting(session, network_id, col(Meeting.ends_at) > now)


def _first_meeting(session: Session, network_id: int, condition: ColumnElement[bool]) -> Meeting | None:
    """The network's earliest meeting that meets `condition`."""
    statement = (
        select(Meeting)
        .where(Meeting.network_id == network_id, condition)
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return session.exec(statement).first()


def list_agenda(*, session: Session, meeting_ids: Iterable[int]) -> list[AgendaItem]:
    return rows_under(session, AgendaItem, AgendaItem.meeting_id, meeting_ids, order_by=[AgendaItem.id])


def agenda_case(*, session: Session, meeting_id: int, case_id: int) -> AgendaItem | None:
    return find_row(session, AgendaItem, meeting_id=meeting_id, case_id=case_id)


def get_agenda_item(*, session: Session, item_id: int) -> AgendaItem | None:
    return session.get(AgendaItem, item_id)


def cases_by_id(*, session: Session, case_ids: Iterable[int]) -> dict[int, Case]:
    ids = list(case_ids)
    if not ids:
        return {}
    statement = select(Case).where(col(Case.id).in_(ids), col(Case.deleted_at).is_(None))
    return {case.id or 0: case for case in session.exec(statement)}


def roles_in_network(*, session: Session, network_id: int) -> list[tuple[JourneyRole, Meeting]]:
    statement = (
        select(JourneyRole, Meeting)
        .join(JourneySession, col(JourneySession.id) == col(JourneyRole.session_id))
        .join(Meeting, col(Meeting.id) == col(JourneySession.meeting_id))
        .where(Meeting.network_id == network_id)
        .order_by(col(Meeting.starts_at), col(JourneyRole.id))
    )
    return list(session.exec(statement).all())


def agenda_items_of_user(
    *, session: Session, network_id: int, user_id: str
) -> list[tuple[AgendaItem, Meeting]]:
    statement = (
        select(AgendaItem, Meeting)
        .join(Meeting, col(Meeting.id) == col(AgendaItem.meeting_id))
        .where(AgendaItem.proposed_by == user_id, Meeting.network_id == network_id)
        .order_by(col(AgendaItem.id))
    )
    return list(session.exec(statement).all())
