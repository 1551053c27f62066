"""Closing the network: the wrap-up (the closing ritual over a period) and each member's look-back.

A wrap-up is one per network: its unique key on the network refuses a second, whoever clicks twice.
A look-back names its member (as a case's lesson does): the harvest shows it without the name, a story
only where its writer chose to share it, and forget-me deletes it with the member's other texts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import AnswerPeriod
from storage.models.base import MemberRow
from storage.models.base import OnePerNetwork
from storage.models.base import RowWithId
from storage.types import UTCDateTime
from storage.types import parent_id

GOAL_KEYS_MAX = 1600
LOOK_BACK_TEXT_MAX = 1000
STORY_PART_MAX = 500


class WrapUp(OnePerNetwork, AnswerPeriod, table=True):
    """A network's closing ritual: opened by a facilitator (with its announcement and invitations in the
    outbox), closed once at `closes_at` (with its harvest and the archive)."""

    __tablename__ = "wrap_up"

    started_by: str = Field(max_length=32)
    goal_keys: str = Field(default="", max_length=GOAL_KEYS_MAX)
    """The keys of the learning goals most voted for at the kickoff, one a line, as at the opening."""
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    """When the members who had not looked back yet were reminded (once, a few days before the close)."""

    @property
    def goal_key_list(self) -> list[str]:
        return [key for key in self.goal_keys.split("\n") if key]


class WrapUpAnswer(MemberRow, table=True):
    """A member's look-back: their lesson and value story; a second answer replaces the first."""

    __tablename__ = "wrap_up_answer"
    __table_args__ = (UniqueConstraint("wrap_up_id", "user_id"),)

    wrap_up_id: int = parent_id("wrap_up")
    lesson: str = Field(default="", max_length=LOOK_BACK_TEXT_MAX)
    """The closing round: "wat ik vooral meeneem als les uit het lerend netwerk"."""
    story_took_part: str = Field(default="", max_length=STORY_PART_MAX)
    story_did_differently: str = Field(default="", max_length=STORY_PART_MAX)
    story_yielded: str = Field(default="", max_length=STORY_PART_MAX)
    story_shared: bool = False
    answered_at: datetime = Field(sa_type=UTCDateTime)


class WrapUpProgress(RowWithId, table=True):
    """How far a member got on one of the wrap-up's learning goals, 1 to 5."""

    __tablename__ = "wrap_up_progress"
    __table_args__ = (UniqueConstraint("answer_id", "goal_key"),)

    answer_id: int = parent_id("wrap_up_answer")
    goal_key: str = Field(max_length=300)
    level: int
