"""Slack's requests acknowledged before their work was done: kept until the work is."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from storage.models.base import RowWithId
from storage.models.processes import PROCESS_ID_MAX
from storage.types import UTCDateTime

INBOUND_KIND_MAX = 32
INBOUND_KEY_MAX = 100


class InboundRequest(RowWithId, table=True):
    """A signed request as it came in, recorded before Slack got its answer; deleted with its work.

    Its work commits the deletion together with its own first write, so a request is done exactly when
    what it changed is in the database. `owner` is the process working on it; a row whose owner stopped
    beating (or that a web-only process left to the workers) is anyone's to take.
    """

    __tablename__ = "inbound_request"

    kind: str = Field(max_length=INBOUND_KIND_MAX)
    """What Slack sent: a slash command, block_actions, event_callback, ... (for an operator's status)."""
    key: str | None = Field(default=None, max_length=INBOUND_KEY_MAX, unique=True)
    """Slack's own id where it has one (an event's event_id): a re-delivery is recorded once."""
    team_id: str | None = Field(default=None, max_length=32)
    content_type: str = Field(max_length=100)
    body: str
    retry_num: str | None = Field(default=None, max_length=8)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)
    owner: str | None = Field(default=None, max_length=PROCESS_ID_MAX)
    attempts: int = 0
