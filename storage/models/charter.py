"""Where a network's charter lives in Slack: the channel's canvas, or a pinned message."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field
from sqlmodel import SQLModel

# The naming convention must be in place before this table exists.
from storage.models import base as _base  # noqa: F401
from storage.types import UTCDateTime
from storage.types import parent_id

SLACK_ID_MAX = 32
HASH_MAX = 64


class NetworkCharter(SQLModel, table=True):
    """The charter's place, and what was last written there (by hash): an unchanged charter is not
    written again."""

    __tablename__ = "network_charter"

    network_id: int = parent_id("network", primary_key=True)
    canvas_id: str | None = Field(default=None, max_length=SLACK_ID_MAX, nullable=True)
    """The channel canvas; None where the workspace cannot have one (then the pinned message)."""
    pinned_ts: str | None = Field(default=None, max_length=SLACK_ID_MAX, nullable=True)
    written_hash: str = Field(default="", max_length=HASH_MAX)
    written_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
