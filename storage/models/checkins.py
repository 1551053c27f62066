"""Check-ins and meetings: the poll schedule, each poll with its reactions and written answers, meetings
with their evaluations.

Anonymity is built into the tables: reactions, written answers and evaluations name no user. Each row
carries a `respondent`, a keyed hash of the poll (or meeting) and the user that only the running bot can
compute (see bot.services.checkin_answers.Respondents); the database alone cannot tell who answered what, nor
link one person's answers across polls. Written answers and evaluations carry no timestamp either.
A member who signs a written answer chooses to have their user id stored with it (`signed_by`).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlmodel import Field

from storage.models.base import RESPONDENT_MAX
from storage.models.base import TS_MAX
from storage.models.base import ClaimedRun
from storage.models.base import NetworkRow
from storage.models.base import NetworkSchedule
from storage.models.base import RowWithId
from storage.models.base import RunKind
from storage.models.processes import PROCESS_ID_MAX
from storage.types import UTCDateTime
from storage.types import parent_id

EMOJI_MAX = 100
ANSWER_MAX = 1000
TOPIC_MAX = 150
MEETING_CASES_MAX = 1000
TAKEAWAY_MAX = 1000


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    OFF = "off"


class PollStatus(StrEnum):
    """A poll's life. Each step is claimed in the database before Slack hears of it.

    claimed: the run is ours, nothing posted yet · posted: the message is there, the scale may not be ·
    open: members answer · closing: the close is ours, the results may not be posted yet · closed.
    """

    CLAIMED = "claimed"
    POSTED = "posted"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class Question(StrEnum):
    """The two written questions of the poll (the first is answered with the emoji scale)."""

    GOES_WELL = "goes_well"
    COULD_BE_BETTER = "could_be_better"


class StepState(StrEnum):
    """A meeting's timed message (agenda, evaluation): not yet, claimed, or posted."""

    PENDING = "pending"
    CLAIMED = "claimed"
    POSTED = "posted"


class CheckinSchedule(NetworkSchedule, table=True):
    """How often a network is polled. A network without a row follows the default schedule."""

    __tablename__ = "checkin_schedule"

    frequency: Frequency = Field(sa_type=String(16))
    weekday: int
    """0 is Monday."""
    hour: int
    minute: int
    open_days: int
    reminders: bool
    anonymity_threshold: int
    anchor: date
    """The local date of the first run: biweekly runs fall 14 days apart from it, none before it."""


class CheckinPoll(ClaimedRun, table=True):
    """One poll: claimed once under its `key`, posted, answered, closed with its results.

    Its key is `checkin/<network>/<local date of the run>` (scheduled) or `.../manual/<local date>`.
    `claimed_at` is when the current step (posting or closing) was claimed; a stale claim is finished by
    recovery.
    """

    __tablename__ = "checkin_poll"
    __table_args__ = (UniqueConstraint("channel_id", "message_ts"),)

    kind: RunKind = Field(sa_type=String(16))
    status: PollStatus = Field(sa_type=String(16))
    claimed_by: str | None = Field(default=None, max_length=PROCESS_ID_MAX, nullable=True)
    """The process (bot_process.id) that claimed the current step: when it stops beating, it is stale."""
    channel_id: str = Field(max_length=32)
    language: str = Field(max_length=8)
    message_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    anonymity_threshold: int
    member_count: int | None = Field(default=None, nullable=True)
    """How many members the network had when the poll closed: the base of the response rate."""
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    results_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)


class CheckinReaction(RowWithId, table=True):
    """A scale emoji a respondent has on a poll. Their answer is the one they added last."""

    __tablename__ = "checkin_reaction"
    __table_args__ = (UniqueConstraint("poll_id", "respondent", "emoji"),)

    poll_id: int = parent_id("checkin_poll")
    respondent: str = Field(max_length=RESPONDENT_MAX)
    emoji: str = Field(max_length=EMOJI_MAX)
    reacted_at: datetime = Field(sa_type=UTCDateTime)
    """Slack's event time of the reaction: orders a respondent's reactions, whatever order they arrive in."""


class CheckinAnswer(RowWithId, table=True):
    """A written answer: one per respondent and question (a new one replaces it); no time, no user id."""

    __tablename__ = "checkin_answer"
    __table_args__ = (UniqueConstraint("poll_id", "question", "respondent"),)

    poll_id: int = parent_id("checkin_poll")
    question: Question = Field(sa_type=String(16))
    respondent: str = Field(max_length=RESPONDENT_MAX)
    text: str = Field(max_length=ANSWER_MAX)
    signed_by: str | None = Field(default=None, max_length=32, nullable=True)


class Meeting(NetworkRow, table=True):
    """A planned meeting: its agenda is posted the day before, its evaluation asked at its end."""

    __tablename__ = "meeting"

    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    topic: str = Field(max_length=TOPIC_MAX)
    cases_text: str = Field(default="", max_length=MEETING_CASES_MAX)
    """The cases to discuss, as the facilitator wrote them (a seam for links to the cases part)."""
    planned_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    agenda_state: StepState = Field(default=StepState.PENDING, sa_type=String(16))
    agenda_claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    agenda_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)
    evaluation_state: StepState = Field(default=StepState.PENDING, sa_type=String(16))
    evaluation_claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    evaluation_ts: str | None = Field(default=None, max_length=TS_MAX, nullable=True)


class MeetingEvaluation(RowWithId, table=True):
    """One respondent's evaluation of a meeting (a new one replaces it); no time, no user id."""

    __tablename__ = "meeting_evaluation"
    __table_args__ = (UniqueConstraint("meeting_id", "respondent"),)

    meeting_id: int = parent_id("meeting")
    respondent: str = Field(max_length=RESPONDENT_MAX)
    usefulness: int
    takeaway: str = Field(default="", max_length=TAKEAWAY_MAX)
    share_takeaway: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    """Its writer lets the take-away be read among the network's lessons (without their name)."""
