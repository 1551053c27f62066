"""The network thermometer: rounds in which each member scores the network on six aspects, anonymously.

As with the check-in's written answers, an answer names no user: its `respondent` is a keyed hash of the
round and the member that only the running bot can compute (bot.services.respondents), so a second answer
replaces the first, and the database alone cannot tell who scored what. Answers carry no time either.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import RESPONDENT_MAX
from storage.models.base import AnswerPeriod
from storage.models.base import NetworkRow
from storage.models.base import RowWithId
from storage.models.base import RunKind
from storage.types import parent_id

ROUND_KEY_MAX = 96
STRONGER_MAX = 1000


class Aspect(StrEnum):
    """The six aspects a member scores from 1 to 10, in the order they are asked."""

    GOAL = "goal"
    PROCESS = "process"
    CONTRIBUTION = "contribution"
    SAFETY = "safety"
    FACILITATION = "facilitation"
    VALUE = "value"


class ThermometerRound(NetworkRow, AnswerPeriod, table=True):
    """One round: created once under its `key` (with the post of its message in the outbox), answered,
    closed once (with its results and the facilitators' suggestions in the outbox)."""

    __tablename__ = "thermometer_round"
    __table_args__ = (UniqueConstraint("key"),)

    key: str = Field(max_length=ROUND_KEY_MAX)
    """`thermometer/<network>/<year>-q<quarter>` (scheduled) or `.../manual/<local date>`."""
    kind: RunKind = Field(sa_type=String(16))
    channel_id: str = Field(max_length=32)
    language: str = Field(max_length=8)
    anonymity_threshold: int


class ThermometerAnswer(RowWithId, table=True):
    """One respondent's scores (1-10 per aspect) and open answer; a new answer replaces it."""

    __tablename__ = "thermometer_answer"
    __table_args__ = (UniqueConstraint("round_id", "respondent"),)

    round_id: int = parent_id("thermometer_round")
    respondent: str = Field(max_length=RESPONDENT_MAX)
    goal: int
    process: int
    contribution: int
    safety: int
    facilitation: int
    value: int
    stronger: str = Field(default="", max_length=STRONGER_MAX)
    """The answer to "wat zou ons netwerk sterker maken?" (may be empty)."""

    def score(self, aspect: Aspect) -> int:
        return int(getattr(self, aspect.value))
