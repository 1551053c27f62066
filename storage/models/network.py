"""Networks and their members.

Enumerations are stored as short strings so that adding a value needs no migration.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import OnePerMember
from storage.models.base import RowWithId
from storage.types import UTCDateTime

NAME_MAX = 80
GOAL_MAX = 1000


class NetworkOrigin(StrEnum):
    """How the network came about."""

    SPONTANEOUS = "spontaneous"
    ORGANISED = "organised"


class NetworkComposition(StrEnum):
    """Who takes part: one role across organisations, or several roles around a shared domain."""

    SAME_ROLE = "same_role"
    SHARED_DOMAIN = "shared_domain"


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    EXPERT = "expert"


class Network(RowWithId, table=True):
    __tablename__ = "network"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=NAME_MAX)
    goal: str = Field(max_length=GOAL_MAX)
    origin: NetworkOrigin = Field(sa_type=String(16))
    composition: NetworkComposition = Field(sa_type=String(16))
    language: str = Field(max_length=8)
    timezone: str = Field(max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class Membership(OnePerMember, table=True):
    """A user's place in a network. Leaving keeps the row (with `left_at`), so history stays whole."""

    __tablename__ = "membership"

    role: Role = Field(sa_type=String(16))
    joined_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    @property
    def active(self) -> bool:
        return self.left_at is None
