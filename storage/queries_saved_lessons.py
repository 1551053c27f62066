"""Queries of the lessons saved from messages: keyword-only, add/flush/select; the caller commits."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session
from sqlmodel import col

from storage.models import SavedLesson
from storage.models import SavedLessonStatus
from storage.rows import add_row
from storage.rows import delete_rows
from storage.rows import find_row
from storage.rows import rows_of_network


def add(*, session: Session, lesson: SavedLesson) -> SavedLesson:
    """Insert a saved lesson; the message's unique ts refuses a second one (at flush)."""
    return add_row(session, lesson)


def get(*, session: Session, lesson_id: int, for_update: bool = False) -> SavedLesson | None:
    return find_row(session, SavedLesson, id=lesson_id, for_update=for_update)


def of_message(*, session: Session, network_id: int, message_ts: str) -> SavedLesson | None:
    return find_row(session, SavedLesson, network_id=network_id, message_ts=message_ts)


def approved(*, session: Session, network_id: int) -> list[SavedLesson]:
    return rows_of_network(session, SavedLesson, network_id, SavedLesson.status == SavedLessonStatus.APPROVED)


def pending(*, session: Session, network_id: int) -> list[SavedLesson]:
    """The lessons still waiting for their author's answer."""
    return rows_of_network(session, SavedLesson, network_id, SavedLesson.status == SavedLessonStatus.PENDING)


def of_user(*, session: Session, network_id: int, user_id: str) -> list[SavedLesson]:
    """The lessons a member saved or wrote, in the order they were saved."""
    saved_or_wrote = or_(col(SavedLesson.saver_id) == user_id, col(SavedLesson.author_id) == user_id)
    return rows_of_network(session, SavedLesson, network_id, saved_or_wrote)


def save(*, session: Session, row: SavedLesson) -> None:
    add_row(session, row)


def delete(*, session: Session, rows: list[SavedLesson]) -> None:
    delete_rows(session, rows)
