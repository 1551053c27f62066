"""What a thermometer round and the closing ritual share: a period in which each member of a live network
may answer (and change their answer) until it closes, announced by one message in the channel."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from bot.services import access
from bot.services import lookups
from bot.services.checkin_common import active_memberships
from storage import queries
from storage.models import Network
from storage.models import ThermometerRound
from storage.models import WrapUp
from storage.models.base import AnswerPeriodStatus

PeriodT = TypeVar("PeriodT", ThermometerRound, WrapUp)


def record_message(session: Session, period: ThermometerRound | WrapUp | None, message_ts: str) -> None:
    """Keep the ts of the period's message; the first one stays."""
    if period is not None and period.message_ts is None:
        period.message_ts = message_ts
        session.add(period)


def answerable(
    session: Session,
    period: PeriodT | None,
    user_id: str,
    *,
    now: datetime,
    not_found: type[Exception],
    closed: type[Exception],
) -> tuple[PeriodT, Network]:
    """The period and its network, for a member about to answer. Raises `not_found` when either is gone,
    `closed` once the period is over, ChannelNotLinked for an archived network, NotAMember."""
    network = lookups.network_of(session, period)
    if period is None or network is None:
        raise not_found()
    if period.status != AnswerPeriodStatus.OPEN or period.closes_at <= now:
        raise closed()
    access.member(session, access.live_network(session, network.id or 0), user_id)
    return period, network


def close_once(session: Session, period: PeriodT | None, *, now: datetime) -> PeriodT | None:
    """Close the period if it is still open, keeping how many members its network has now (the base of
    the response rate): the period to the one of several racing processes that closed it; None to the
    others, and when it is gone."""
    if period is None:
        return None
    members = len(active_memberships(session, period.network_id))
    if not queries.claim_close(session=session, period=period, now=now, member_count=members):
        return None
    return period
