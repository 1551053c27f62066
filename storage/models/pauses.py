"""A network's pauses: dates between which its recurring posts are skipped (see bot.services.pauses)."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlmodel import Field
from sqlmodel import SQLModel

# The naming convention lives beside the network table: it must be in place before this table exists.
from storage.models import network as _network  # noqa: F401
from storage.types import UTCDateTime
from storage.types import parent_id


class NetworkPause(SQLModel, table=True):
    """From `starts_on` up to and including `ends_on`, local dates in the network's time zone."""

    __tablename__ = "network_pause"

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = parent_id("network")
    starts_on: date
    ends_on: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
