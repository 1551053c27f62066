"""The kickoff's tables: introductions, expectations and learning goals with their votes, agreements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import UniqueConstraint
from sqlmodel import Field
from sqlmodel import SQLModel

from storage.models.base import TS_MAX
from storage.models.base import MemberRow
from storage.models.base import NetworkRow
from storage.models.base import OnePerMember
from storage.models.base import RowWithId
from storage.types import UTCDateTime
from storage.types import parent_id

JOB_ROLE_MAX = 150
ORGANISATION_MAX = 150
INTRO_ANSWER_MAX = 1000
EXPECTATION_MAX = 1000
LEARNING_GOAL_MAX = 150
LEARNING_GOALS_PER_MEMBER = 3
GOAL_KEY_MAX = 300
VOTES_PER_MEMBER = 3
AGREEMENTS_MAX = 3000


class Intro(OnePerMember, table=True):
    """A member's introduction, and the one card in the channel that shows it."""

    __tablename__ = "intro"

    job_role: str = Field(max_length=JOB_ROLE_MAX)
    organisation: str = Field(max_length=ORGANISATION_MAX)
    gives: str = Field(max_length=INTRO_ANSWER_MAX)
    wants: str = Field(max_length=INTRO_ANSWER_MAX)
    practice_question: str = Field(default="", max_length=INTRO_ANSWER_MAX)
    card_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Expectation(OnePerMember, table=True):
    """What one member expects of the network, in their own words."""

    __tablename__ = "expectation"

    text: str = Field(max_length=EXPECTATION_MAX)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LearningGoal(MemberRow, table=True):
    """One of a member's (at most three) learning goals.

    `goal_key` is the goal's normalised wording: goals with the same key are one goal on the map, and
    votes go to the key, so a vote survives its proposer rewording the goal in the same way.
    """

    __tablename__ = "learning_goal"
    __table_args__ = (UniqueConstraint("network_id", "user_id", "position"),)

    position: int
    text: str = Field(max_length=LEARNING_GOAL_MAX)
    goal_key: str = Field(max_length=GOAL_KEY_MAX)
    created_at: datetime = Field(sa_type=UTCDateTime)


class GoalVote(MemberRow, table=True):
    """One of a member's three dots on the expectations map.

    The two unique keys carry the rules even when clicks race: one vote per goal per member, and a
    member's votes fill numbered slots 1 to 3, so a fourth vote has no slot to take.
    """

    __tablename__ = "goal_vote"
    __table_args__ = (
        UniqueConstraint("network_id", "user_id", "goal_key"),
        UniqueConstraint("network_id", "user_id", "slot"),
        CheckConstraint(f"slot BETWEEN 1 AND {VOTES_PER_MEMBER}", name="slot_range"),
    )

    goal_key: str = Field(max_length=GOAL_KEY_MAX)
    slot: int
    created_at: datetime = Field(sa_type=UTCDateTime)


class ExpectationsMap(SQLModel, table=True):
    """The network's current expectations map message, updated in place as votes come in."""

    __tablename__ = "expectations_map"

    network_id: int = parent_id("network", primary_key=True)
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=TS_MAX)
    posted_by: str = Field(max_length=32)
    posted_at: datetime = Field(sa_type=UTCDateTime)


class AgreementVersion(NetworkRow, table=True):
    """One version of the group agreements, one agreement per line; the highest version is current."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("network_id", "version"),)

    version: int
    text: str = Field(max_length=AGREEMENTS_MAX)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    message_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line]


class AgreementAcceptance(RowWithId, table=True):
    """A member accepted one version of the agreements."""

    __tablename__ = "agreement_acceptance"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    version_id: int = parent_id("agreement_version")
    user_id: str = Field(max_length=32)
    accepted_at: datetime = Field(sa_type=UTCDateTime)
