"""What the kickoff's services share: the group-size guideline, the checks every request makes, and
the retry that settles racing requests."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import ChannelNotLinked, NotAFacilitator, NotAMember
from storage import queries_kickoff as kq
from storage.models import Membership, Network, Role

# A learning network works best with 10 to 15 members (the seed of this product).
GROUP_SIZE_MIN = 10
GROUP_SIZE_MAX = 15

# Two requests that race for the same unique key: the loser retries and then sees the winner's row.
CONFLICT_ATTEMPTS = 4

T = TypeVar("T")


class SizeNote(StrEnum):
    """Why facilitators get a private note about the size of their group."""

    TOO_LARGE = "too_large"
    TOO_SMALL = "too_small"


def size_note_for(count: int) -> SizeNote | None:
    """The note a group of `count` members deserves against the 10-15 guideline, if any."""
    if count > GROUP_SIZE_MAX:
        return SizeNote.TOO_LARGE
    if count < GROUP_SIZE_MIN:
        return SizeNote.TOO_SMALL
    return None


def retry_on_conflict(work: Callable[[], T], *, attempts: int = CONFLICT_ATTEMPTS) -> T:
    """Run `work` (one whole unit of work) again when a unique key refused it because another request
    got there first; the next run reads what that request wrote and decides anew."""
    for _ in range(attempts - 1):
        try:
            return work()
        except IntegrityError:
            continue
    return work()


def active_network(session: Session, network_id: int, *, lock: bool = False) -> Network:
    """The network, unless it is gone or archived (ChannelNotLinked)."""
    network = kq.get_network(session=session, network_id=network_id, lock=lock)
    if network is None or network.archived_at is not None:
        raise ChannelNotLinked()
    return network


def active_member(session: Session, network_id: int, user_id: str) -> Membership:
    """The user's membership if they take part now; NotAMember for outsiders and those who left."""
    membership = kq.get_membership(session=session, network_id=network_id, user_id=user_id)
    if membership is None or not membership.active:
        raise NotAMember()
    return membership


def active_facilitator(session: Session, network_id: int, user_id: str) -> Membership:
    membership = active_member(session, network_id, user_id)
    if membership.role != Role.FACILITATOR:
        raise NotAFacilitator()
    return membership
