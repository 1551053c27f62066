"""The outbox: what Slack must be told, written in the same transaction as the change it follows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlalchemy import String
from sqlmodel import Field

from storage.models.base import RowWithId
from storage.models.processes import PROCESS_ID_MAX
from storage.types import UTCDateTime

OUTBOX_KEY_MAX = 200
OUTBOX_KIND_MAX = 64
OUTBOX_REASON_MAX = 500


class OutboxStatus(StrEnum):
    """pending: to be carried out (by its owner, or by anyone once the owner stopped beating) · done ·
    failed: Slack refused it for good, or it kept failing; kept with its reason for an operator."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class OutboxItem(RowWithId, table=True):
    """One effect on Slack: its kind names what to do, its payload holds plain ids and values only.

    Nothing rendered or translated is stored: the publishing layer renders the effect from the database
    when it carries it out, so a retry shows the latest state. `key` is the idempotency key a post
    carries in its message metadata, so an item carried out twice posts once.
    """

    __tablename__ = "outbox_item"
    __table_args__ = (Index("ix_outbox_item_status_not_before", "status", "not_before"),)

    key: str = Field(max_length=OUTBOX_KEY_MAX, unique=True)
    kind: str = Field(max_length=OUTBOX_KIND_MAX)
    payload: str
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(16))
    owner: str | None = Field(default=None, max_length=PROCESS_ID_MAX)
    """The process that carries it out; another takes it over once the owner stops beating."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    not_before: datetime = Field(sa_type=UTCDateTime)
    """Not to be started before: while its owner is at it (a lease), or until its next attempt."""
    attempts: int = 0
    reason: str | None = Field(default=None, max_length=OUTBOX_REASON_MAX)
    """Why the last attempt failed (Slack's error code, or the exception's name)."""
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    team_id: str | None = Field(default=None, max_length=32)
    """The workspace whose token carries it out (with many workspaces); None for single-workspace items."""
