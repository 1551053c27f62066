"""A network's pauses: dates between which its recurring posts are skipped (see bot.services.pauses)."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlmodel import Field

from storage.models.base import NetworkRow
from storage.types import UTCDateTime


class NetworkPause(NetworkRow, table=True):
    """From `starts_on` up to and including `ends_on`, local dates in the network's time zone."""

    __tablename__ = "network_pause"

    starts_on: date
    ends_on: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
