"""Archiving a network, as `/netwerk archiveer` and the close of the wrap-up both do it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.services.access import ARCHIVED_CHANNEL_SEPARATOR
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from storage import queries_saved_lessons
from storage.models import Network


def archive_in(session: Session, network: Network, *, by_user_id: str, now: datetime, outbox: Outbox) -> None:
    """Archive `network` in the caller's unit of work and announce it in its channel: the channel is
    freed (its id gets a suffix, so `/netwerk start` there links a new network), and nothing new happens
    in the archived one: a message saved as a lesson whose author has not said yes yet goes, as it
    would on a no, since it can no longer become one. The caller checks who may."""
    network_id = network.id or 0
    network.archived_at = now
    network.channel_id = f"{network.channel_id}{ARCHIVED_CHANNEL_SEPARATOR}{network_id}"
    session.add(network)
    queries_saved_lessons.delete(
        session=session, rows=queries_saved_lessons.pending(session=session, network_id=network_id)
    )
    outbox.record(
        session,
        EffectKind.PRIVACY_ARCHIVED,
        key=f"privacy/archive/{network_id}",
        network_id=network_id,
        by_user_id=by_user_id,
    )
