"""Follow-ups: what a case's owner did with the advice, asked some weeks after they closed it.

One row per closed case whose owner said what they would try. The question is claimed in the database
(compare-and-set on `state` and `asked_count`) in the same transaction as the outbox item that asks it,
so it is asked once whatever process runs the timed work and however often.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.cases import CasePart
from storage.types import UTCDateTime

FOLLOW_UP_PLAN_MAX = 1000
FOLLOW_UP_ANSWER_MAX = 1000


class FollowUpState(StrEnum):
    PENDING = "pending"
    """Waiting for `due_at`."""
    ASKED = "asked"
    """The owner was asked; their answer is awaited."""
    ANSWERED = "answered"
    DROPPED = "dropped"
    """Not asked (any more): the owner left the network, or said "not yet" twice."""


class FollowUpOutcome(StrEnum):
    HELPED = "helped"
    DID_NOT_HELP = "did_not_help"
    NOT_YET = "not_yet"
    OTHER = "other"


class CaseFollowUp(CasePart, table=True):
    __tablename__ = "case_follow_up"
    __table_args__ = (UniqueConstraint("case_id"),)

    plan: str = Field(default="", max_length=FOLLOW_UP_PLAN_MAX)
    """What the owner said they would try, when closing the case."""
    due_at: datetime = Field(sa_type=UTCDateTime)
    state: FollowUpState = Field(sa_type=String(16))
    asked_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    question_channel: str | None = Field(default=None, max_length=32, nullable=True)
    question_ts: str | None = Field(default=None, max_length=32, nullable=True)
    """Where the question was posted (the owner's DM), to show the answer in its place."""
    outcome: FollowUpOutcome | None = Field(default=None, sa_type=String(16), nullable=True)
    answer: str = Field(default="", max_length=FOLLOW_UP_ANSWER_MAX)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
