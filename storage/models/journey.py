"""The trajectory: a series of planned sessions with their themes, work forms and rotating roles, and
the agenda members make together for each session.

Each session of a trajectory is a meeting (storage.models.checkins.Meeting): its agenda and evaluation
go out as any meeting's do. Roles and proposals name their member: they are personal data, listed in
my-data and erased by forget-me.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import TS_MAX
from storage.models.base import USER_ID_MAX
from storage.models.base import OnePerNetwork
from storage.models.base import RowWithId
from storage.models.checkins import TOPIC_MAX
from storage.types import UTCDateTime
from storage.types import parent_id

PLACE_MAX = 300
WORKFORM_MAX = 40
DECLINED_MAX = 1000
AGENDA_TEXT_MAX = 300


class Rhythm(StrEnum):
    WEEKLY = "weekly"
    EVERY_2_WEEKS = "every_2_weeks"
    EVERY_3_WEEKS = "every_3_weeks"
    EVERY_4_WEEKS = "every_4_weeks"
    MONTHLY = "monthly"


class SessionRole(StrEnum):
    """The division of roles in a session, in the order they are handed out."""

    LEAD = "lead"
    """Gespreksleider: leads the conversation, and may pick the session's agenda."""
    TIMEKEEPER = "timekeeper"
    NOTES = "notes"
    CASE = "case"
    """Brings a case (one or two per session)."""


class RoleState(StrEnum):
    PROPOSED = "proposed"
    """Handed out by the plan; the member can pass it on."""
    ASKED = "asked"
    """Someone passed it on: the next in line was asked and has not answered yet."""
    ACCEPTED = "accepted"
    OPEN = "open"
    """Everyone in line passed it on (or left): nobody holds it."""


class AgendaKind(StrEnum):
    TOPIC = "topic"
    CASE = "case"


class Journey(OnePerNetwork, table=True):
    """A network's trajectory; `version` grows with every change, so a stale edit is noticed."""

    __tablename__ = "journey"

    version: int = 1
    rhythm: Rhythm = Field(sa_type=String(16))
    place: str = Field(default="", max_length=PLACE_MAX)
    """Where the group meets: a place, or an online link."""
    planned_by: str = Field(max_length=USER_ID_MAX)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    plan_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)
    """The plan's message in the channel, updated in place."""


class JourneySession(RowWithId, table=True):
    """One session of the trajectory: a meeting, with its theme and work form."""

    __tablename__ = "journey_session"

    journey_id: int = parent_id("journey")
    meeting_id: int = parent_id("meeting")
    position: int
    theme: str = Field(default="", max_length=TOPIC_MAX)
    workform: str = Field(default="", max_length=WORKFORM_MAX)
    """The key of the work form chosen for the session; empty while none is."""


class JourneyRole(RowWithId, table=True):
    """Who holds a role in a session, and who passed it on before them."""

    __tablename__ = "journey_role"

    session_id: int = parent_id("journey_session")
    role: SessionRole = Field(sa_type=String(16))
    slot: int = 0
    user_id: str = Field(default="", max_length=USER_ID_MAX)
    state: RoleState = Field(sa_type=String(16))
    declined_by: str = Field(default="", max_length=DECLINED_MAX)
    """User ids who passed this role on, comma-separated: they are not asked again."""

    @property
    def declined(self) -> list[str]:
        return [user_id for user_id in self.declined_by.split(",") if user_id]


class AgendaItem(RowWithId, table=True):
    """A topic or a case proposed for a meeting's agenda; a facilitator or the session lead picks."""

    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)

    meeting_id: int = parent_id("meeting")
    kind: AgendaKind = Field(sa_type=String(8))
    text: str = Field(default="", max_length=AGENDA_TEXT_MAX)
    case_id: int | None = Field(default=None, nullable=True)
    """The case put forward (a link to peer_case, kept loose: a deleted case drops off the agenda)."""
    proposed_by: str = Field(max_length=USER_ID_MAX)
    picked: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
