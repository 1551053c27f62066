"""Queries of the lessons saved from messages: keyword-only, add/flush/select; the caller commits."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from storage.models import SavedLesson, SavedLessonStatus


def add(*, session: Session, lesson: SavedLesson) -> SavedLesson:
    """Insert a saved lesson; the message's unique ts refuses a second one (at flush)."""
    session.add(lesson)
    session.flush()
    return lesson


def get(*, session: Session, lesson_id: int, for_update: bool = False) -> SavedLesson | None:
    statement = select(SavedLesson).where(SavedLesson.id == lesson_id)
    if for_update:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def of_message(*, session: Session, network_id: int, message_ts: str) -> SavedLesson | None:
    statement = select(SavedLesson).where(
        SavedLesson.network_id == network_id, SavedLesson.message_ts == message_ts
    )
    return session.exec(statement).first()


def approved(*, session: Session, network_id: int) -> list[SavedLesson]:
    statement = select(SavedLesson).where(
        SavedLesson.network_id == network_id, SavedLesson.status == SavedLessonStatus.APPROVED
    )
    return list(session.exec(statement.order_by(col(SavedLesson.id))))


def of_user(*, session: Session, network_id: int, user_id: str) -> list[SavedLesson]:
    """The lessons a member saved or wrote, in the order they were saved."""
    statement = select(SavedLesson).where(
        SavedLesson.network_id == network_id,
        or_(col(SavedLesson.saver_id) == user_id, col(SavedLesson.author_id) == user_id),
    )
    return list(session.exec(statement.order_by(col(SavedLesson.id))))


def save(*, session: Session, row: SavedLesson) -> None:
    session.add(row)
    session.flush()


def delete(*, session: Session, rows: list[SavedLesson]) -> None:
    for row in rows:
        session.delete(row)
    session.flush()
