"""What the tables have in common: the constraint names, the id, and the network or member a row belongs to.

The bases are not tables themselves; each table that derives from one gets its own copy of their columns.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field
from sqlmodel import SQLModel

from storage.types import UTCDateTime
from storage.types import parent_id

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL. Set here, before any table
# exists: every table module imports its base from this one.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

USER_ID_MAX = 32
TS_MAX = 32
"""A Slack message's ts."""
RESPONDENT_MAX = 64
"""An anonymous answerer: a hex SHA-256 HMAC of the poll (round, meeting) and the member, which only the
running bot can compute."""
RUN_KEY_MAX = 96


class RunKind(StrEnum):
    """How a check-in poll or a thermometer round came about: on its schedule, or at a facilitator's
    request, now."""

    SCHEDULED = "scheduled"
    MANUAL = "manual"


class AnswerPeriodStatus(StrEnum):
    """Whether a period in which members answer (a thermometer round, the closing ritual) still takes
    answers: open until its close, closed once."""

    OPEN = "open"
    CLOSED = "closed"


class RowWithId(SQLModel):
    """A row known by the number the database gives it when it is added."""

    id: int | None = Field(default=None, primary_key=True)


class NetworkRow(RowWithId):
    """A row of one network: it goes when its network goes."""

    network_id: int = parent_id("network")


class MemberRow(NetworkRow):
    """A row of one member of a network, who is `user_id` (their Slack user id)."""

    user_id: str = Field(max_length=USER_ID_MAX)


class OnePerMember(MemberRow):
    """A row a member has at most one of in a network (their membership, introduction, expectation)."""

    # A constraint belongs to one table: each table gets its own.
    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("network_id", "user_id"),)


class OnePerNetwork(RowWithId):
    """A row a network has at most one of (its journey, its wrap-up, a schedule)."""

    network_id: int = parent_id("network", unique=True)


class NetworkSchedule(OnePerNetwork):
    """How often something of a network runs by itself; a network without a row follows the default."""

    updated_by: str = Field(max_length=USER_ID_MAX)
    """Who last changed it."""
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ClaimedRun(NetworkRow):
    """A timed run of a network's (a check-in poll, a digest, a pairing round), claimed under its unique
    `key` (`<part>/<network>/<local date of the run>`) before anything reaches Slack: two processes, or a
    job run twice, make it once."""

    key: str = Field(max_length=RUN_KEY_MAX, unique=True)
    run_date: date
    """The local date of the run, in the network's time zone."""
    claimed_at: datetime = Field(sa_type=UTCDateTime)


class AnswerPeriod(RowWithId):
    """A period in which a network's members answer (a thermometer round, the closing ritual), announced
    by one message in the channel: open until `closes_at`, then closed once."""

    status: AnswerPeriodStatus = Field(sa_type=String(16))
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    message_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    member_count: int | None = Field(default=None, nullable=True)
    """How many members the network had at the close: the base of the response rate."""
