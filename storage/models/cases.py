"""Cases: problems from practice that a member brings to the group, with the advice and recognition they get.

A deleted case stays as an empty row (status `deleted`, no owner, no text) so that the advice its
givers gave still counts for them; its texts, its owner and who recognised it are gone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlmodel import Field

from storage.models.base import NetworkRow
from storage.models.base import RowWithId
from storage.types import UTCDateTime
from storage.types import parent_id

CASE_TITLE_MAX = 120
CASE_SITUATION_MAX = 2000
CASE_QUESTION_MAX = 1000
CASE_TRIED_MAX = 1000
ADVICE_MAX = 2000
LESSON_MAX = 2000
SOURCE_PERMALINK_MAX = 500


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DELETED = "deleted"


class HelpKind(StrEnum):
    """What kind of help the owner asks the group for."""

    ADVICE = "advice"
    EXPERIENCES = "experiences"
    SOUNDING_BOARD = "sounding_board"
    FRESH_PERSPECTIVE = "fresh_perspective"


class AdviceSource(StrEnum):
    MODAL = "modal"
    """Given through the "give advice" modal; the bot posted it in the thread."""
    THREAD = "thread"
    """A member's own reply in the case's thread."""


class Case(NetworkRow, table=True):
    # "case" is a keyword in SQL; the table is named for what it holds.
    __tablename__ = "peer_case"

    owner_id: str = Field(max_length=32)
    title: str = Field(max_length=CASE_TITLE_MAX)
    situation: str = Field(max_length=CASE_SITUATION_MAX)
    question: str = Field(max_length=CASE_QUESTION_MAX)
    tried: str = Field(max_length=CASE_TRIED_MAX)
    help_wanted: str = Field(max_length=80)
    """HelpKind values, comma-separated, in the order of HelpKind."""
    confidential: bool = Field(sa_column=Column(Boolean, nullable=False))
    status: CaseStatus = Field(sa_type=String(16))
    card_ts: str | None = Field(default=None, max_length=32, index=True, nullable=True)
    """The ts of the case card in the network's channel; its thread is the case's thread."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    lesson: str = Field(default="", max_length=LESSON_MAX)
    """What the owner takes away from it ("wat ik vooral meeneem"), written when closing."""
    on_agenda: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    """Marked by a facilitator for discussion at the next meeting."""
    round_method: str | None = Field(default=None, max_length=32, nullable=True)
    """The key of the peer-consultation method of the case's round (bot/services/workforms.py); None
    when no round was started."""
    round_step_index: int | None = Field(default=None, nullable=True)
    """The index of the round's current step; the number of the method's steps once it is finished."""
    round_lead_id: str | None = Field(default=None, max_length=32, nullable=True)
    """The session lead (gespreksleider) of the round, who moves it on besides facilitators and the owner."""
    lesson_shared: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    """A confidential case's owner lets its lesson be read by the network (`/netwerk lessen`)."""
    source_permalink: str | None = Field(default=None, max_length=SOURCE_PERMALINK_MAX, nullable=True)
    """The message it was brought in from ("Breng in als casus"), as Slack links to it."""

    @property
    def help_kinds(self) -> list[HelpKind]:
        return [HelpKind(value) for value in self.help_wanted.split(",") if value]


class CasePart(RowWithId):
    """A row of one case (its advice, a recognition, its follow-up, a guest): it goes when the case goes."""

    case_id: int = parent_id("peer_case")


class CaseAdvice(CasePart, table=True):
    __tablename__ = "case_advice"

    giver_id: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    text: str = Field(max_length=ADVICE_MAX)
    source: AdviceSource = Field(sa_type=String(16))
    message_ts: str | None = Field(default=None, max_length=32, nullable=True)
    """The member's own message, for advice given as a thread reply."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    removed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    """Its giver asked to be forgotten: giver and text are gone, the views show the removal note."""


class CaseRecognition(CasePart, table=True):
    """A member who faces the same problem ("ik herken dit"); once per member and case."""

    __tablename__ = "case_recognition"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    user_id: str = Field(sa_column=Column(String(32), nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
