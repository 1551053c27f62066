"""Queries: keyword-only functions that add, flush and select. The caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Membership
from storage.models import Network
from storage.models import ProcessedEvent
from storage.models import Role
from storage.models.base import AnswerPeriod
from storage.models.base import AnswerPeriodStatus
from storage.rows import add_row
from storage.rows import changed_one

# The statements every request runs are built once: building one costs more than SQLAlchemy's cached
# compilation of it saves (operators, coercions), and their values travel as parameters.
_NETWORK_BY_CHANNEL = select(Network).where(
    Network.team_id == bindparam("team_id"), Network.channel_id == bindparam("channel_id")
)
_ACTIVE_MEMBERSHIPS = (
    select(Membership)
    .where(Membership.network_id == bindparam("network_id"), col(Membership.left_at).is_(None))
    .order_by(col(Membership.joined_at), col(Membership.id))
)


def get_network_by_channel(*, session: Session, team_id: str, channel_id: str) -> Network | None:
    return session.exec(_NETWORK_BY_CHANNEL, params={"team_id": team_id, "channel_id": channel_id}).first()


def add_network(*, session: Session, network: Network) -> Network:
    return add_row(session, network)


def add_memberships(
    *, session: Session, network_id: int, roles: dict[str, Role], joined_at: datetime
) -> list[Membership]:
    memberships = [
        Membership(network_id=network_id, user_id=user_id, role=role, joined_at=joined_at)
        for user_id, role in roles.items()
    ]
    session.add_all(memberships)
    session.flush()
    return memberships


def list_memberships(*, session: Session, network_id: int, active_only: bool = True) -> list[Membership]:
    if active_only:
        return list(session.exec(_ACTIVE_MEMBERSHIPS, params={"network_id": network_id}))
    statement = select(Membership).where(Membership.network_id == network_id)
    return list(session.exec(statement.order_by(col(Membership.joined_at), col(Membership.id))))


def user_ids_with_role(memberships: Iterable[Membership], role: Role) -> list[str]:
    return [m.user_id for m in memberships if m.role == role and m.active]


def get_network_by_channel_any_team(*, session: Session, channel_id: str) -> Network | None:
    """The network on this channel id, whichever workspace it is in (channel ids are unique in practice)."""
    statement = select(Network).where(Network.channel_id == channel_id).order_by(col(Network.id))
    return session.exec(statement).first()


def claim_event(*, session: Session, event_id: str, received_at: datetime) -> bool:
    """Record that `event_id` is being handled; False if it was handled before.

    Call it inside the unit of work that applies the event, so the claim and its effect commit
    together: a delivery that fails half-way leaves no claim, and the re-delivery applies it.
    Two deliveries racing each other both pass here; the unique key refuses the second at commit.
    """
    if session.get(ProcessedEvent, event_id) is not None:
        return False
    session.add(ProcessedEvent(event_id=event_id, received_at=received_at))
    session.flush()
    return True


def latest_archived_network_of_channel(*, session: Session, channel_id: str) -> Network | None:
    """The network most recently archived on this channel id (an archived network's channel id carries
    `#<network id>`, see bot.services.archiving), whichever workspace it is in."""
    statement = (
        select(Network)
        .where(
            col(Network.channel_id).startswith(f"{channel_id}#", autoescape=True),
            col(Network.archived_at).is_not(None),
        )
        .order_by(col(Network.archived_at).desc(), col(Network.id).desc())
    )
    return session.exec(statement).first()


def claim_close(*, session: Session, period: AnswerPeriod, now: datetime, member_count: int) -> bool:
    """Close the answer period (a thermometer round, a wrap-up) if it is still open, keeping how many
    members the network had then: of several processes, exactly one gets True."""
    model = type(period)
    return changed_one(
        session,
        update(model)
        .where(col(model.id) == period.id, col(model.status) == AnswerPeriodStatus.OPEN)
        .values(status=AnswerPeriodStatus.CLOSED, closed_at=now, member_count=member_count),
    )
