"""What the kickoff's services share: the group-size guideline, the notes about it to facilitators, what
the channel is to show when the group changes, and the retry that settles racing requests."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services import access
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from storage.models import Network

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


def record_size_notes(
    outbox: Outbox, session: Session, network: Network, *, note: SizeNote, count: int
) -> None:
    """Record a private note to each facilitator that the group of `count` is outside the guideline."""
    for facilitator_id in access.facilitator_ids(session, network.id or 0):
        outbox.record(
            session,
            EffectKind.SIZE_NOTE,
            network_id=network.id,
            facilitator_id=facilitator_id,
            note=note.value,
            count=count,
        )


def record_group_changed(outbox: Outbox, session: Session, network_id: int) -> None:
    """Record that the posts which count or name the members are to follow the group now that someone
    came, went or was forgotten: the agreements' count ("X of Y members"), the expectations map (only
    current members' words and votes) and the charter."""
    outbox.record(session, EffectKind.AGREEMENTS_REFRESH, network_id=network_id)
    outbox.record(session, EffectKind.EXPECTATIONS_MAP_REFRESH, network_id=network_id)
    outbox.charter_changed(session, network_id)
