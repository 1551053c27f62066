"""The summary digest: how often a network's summary is posted by itself, and each digest posted.

A digest run is claimed under a unique key (`summary/<network>/<local date of the run>`) before anything
reaches Slack, as check-in polls are: two processes, or a job run twice, post it once.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field

from storage.models.base import ClaimedRun
from storage.models.base import NetworkSchedule
from storage.types import UTCDateTime


class DigestFrequency(StrEnum):
    MONTHLY = "monthly"
    OFF = "off"


class DigestSchedule(NetworkSchedule, table=True):
    """How often a network's summary is posted by itself. A network without a row gets it monthly."""

    __tablename__ = "digest_schedule"

    frequency: DigestFrequency = Field(sa_type=String(16))
    anchor: date
    """No run before this local date."""


class DigestRun(ClaimedRun, table=True):
    """One scheduled digest, claimed once under its key, then posted."""

    __tablename__ = "digest_run"

    message_ts: str | None = Field(default=None, max_length=32, nullable=True)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
