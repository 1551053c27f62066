"""The bot processes sharing the database, each with its last sign of life."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field
from sqlmodel import SQLModel

from storage.types import UTCDateTime

PROCESS_ID_MAX = 64


class BotProcess(SQLModel, table=True):
    """A running process beats here every few seconds; a claim whose claimant stopped beating is stale."""

    __tablename__ = "bot_process"

    id: str = Field(primary_key=True, max_length=PROCESS_ID_MAX)
    started_at: datetime = Field(sa_type=UTCDateTime)
    beat_at: datetime = Field(sa_type=UTCDateTime, index=True)
    leader: bool = False
    """Whether it ran the timed jobs at its last beat."""
