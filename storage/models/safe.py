"""The safe group: guest experts whom a confidential case's owner invited to read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.cases import CasePart
from storage.types import UTCDateTime


class CaseGuest(CasePart, table=True):
    """A guest expert invited by a confidential case's owner; withdrawing the invitation deletes the row."""

    __tablename__ = "case_guest"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    user_id: str = Field(sa_column=Column(String(32), nullable=False))
    invited_at: datetime = Field(sa_type=UTCDateTime)
