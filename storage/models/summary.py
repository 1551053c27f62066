"""The summary digest: how often a network's summary is posted by itself, and each digest posted.

A digest run is claimed under a unique key (`summary/<network>/<local date of the run>`) before anything
reaches Slack, as check-in polls are: two processes, or a job run twice, post it once.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field
from sqlmodel import SQLModel

# The naming convention lives beside the network table: it must be in place before these tables exist.
from storage.models import network as _network  # noqa: F401
from storage.types import UTCDateTime
from storage.types import parent_id

DIGEST_KEY_MAX = 96


class DigestFrequency(StrEnum):
    MONTHLY = "monthly"
    OFF = "off"


class DigestSchedule(SQLModel, table=True):
    """How often a network's summary is posted by itself. A network without a row gets it monthly."""

    __tablename__ = "digest_schedule"

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = parent_id("network", unique=True)
    frequency: DigestFrequency = Field(sa_type=String(16))
    anchor: date
    """No run before this local date."""
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class DigestRun(SQLModel, table=True):
    """One scheduled digest, claimed once under its key, then posted."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = parent_id("network")
    key: str = Field(max_length=DIGEST_KEY_MAX)
    run_date: date
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    message_ts: str | None = Field(default=None, max_length=32, nullable=True)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
