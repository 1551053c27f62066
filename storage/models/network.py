"""The tables. Enumerations are stored as short strings so that adding a value needs no migration."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field
from sqlmodel import SQLModel

from storage.types import UTCDateTime
from storage.types import parent_id

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

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


class Network(SQLModel, table=True):
    __tablename__ = "network"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
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


class Membership(SQLModel, table=True):
    """A user's place in a network. Leaving keeps the row (with `left_at`), so history stays whole."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("network_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = parent_id("network")
    user_id: str = Field(sa_column=Column(String(32), nullable=False))
    role: Role = Field(sa_type=String(16))
    joined_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    @property
    def active(self) -> bool:
        return self.left_at is None
