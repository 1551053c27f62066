"""Lessons saved from a message in a network's channel ("Bewaar als les").

A lesson saved from someone else's message waits for its author's consent: it is `pending` until they say
yes (then `approved`, read in `/netwerk lessen`), and is deleted when they say no. One message is saved
once per network: its ts is unique there, so a double click or a re-delivery cannot save it twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import NetworkRow
from storage.types import UTCDateTime

SAVED_LESSON_MAX = 2000
"""As a case's lesson (LESSON_MAX): a longer message is kept up to here, marked as cut."""


class SavedLessonStatus(StrEnum):
    PENDING = "pending"
    """Saved from someone else's message: waits for its author's yes."""
    APPROVED = "approved"


class SavedLesson(NetworkRow, table=True):
    __tablename__ = "saved_lesson"
    __table_args__ = (UniqueConstraint("network_id", "message_ts"),)

    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    author_id: str = Field(max_length=32, index=True)
    saver_id: str = Field(max_length=32, index=True)
    """Whom the lesson is credited to: the member who saved it."""
    text: str = Field(max_length=SAVED_LESSON_MAX)
    status: SavedLessonStatus = Field(sa_type=String(16))
    saved_at: datetime = Field(sa_type=UTCDateTime)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
