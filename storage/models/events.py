"""Events API deliveries already handled: Slack re-delivers, and Bolt does not de-duplicate."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field
from sqlmodel import SQLModel

from storage.types import UTCDateTime


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)
