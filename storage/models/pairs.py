"""Getting to know each other in pairs: a network's rhythm of pairing rounds, and who was paired with whom.

A round is claimed under a unique key (`pairs/<network>/<local date of the round>`) before anything reaches
Slack, as digest runs are: two processes, or a job run twice, pair the members once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from storage.models.base import ClaimedRun
from storage.models.base import MemberRow
from storage.models.base import NetworkRow
from storage.models.base import NetworkSchedule
from storage.types import UTCDateTime
from storage.types import parent_id

PAIRING_EVERY_WEEKS = (1, 2)


class PairingSchedule(NetworkSchedule, table=True):
    """A network's pairing rounds: every `every_weeks` weeks from `starts_at`, at its local time of day."""

    __tablename__ = "pairing_schedule"

    every_weeks: int
    starts_at: datetime = Field(sa_type=UTCDateTime)
    """The first round; the others fall on the same weekday and local time of day."""
    active: bool


class PairingRound(ClaimedRun, table=True):
    """One round, claimed once under its key, with the groups it made."""

    __tablename__ = "pairing_round"


class PairingGroup(NetworkRow, table=True):
    """A pair (or, with an odd number of members, a three) of one round, in a group DM of its own."""

    __tablename__ = "pairing_group"

    round_id: int = parent_id("pairing_round")
    position: int


class PairingMember(MemberRow, table=True):
    """A member in a group: personal data (forgetting a member deletes these rows)."""

    __tablename__ = "pairing_member"

    group_id: int = parent_id("pairing_group")
