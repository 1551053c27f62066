"""The network a request is about, found together with the check that the caller may act in it: how
most service methods begin. The rules themselves are bot.services.access's; this only says them once."""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session

from bot.services import access
from storage.models import Membership
from storage.models import Network


class OfNetwork(Protocol):
    """A row that belongs to one network: a case, a poll, a meeting, a round."""

    @property
    def network_id(self) -> int: ...


def network_of(session: Session, row: OfNetwork | None) -> Network | None:
    """The network `row` belongs to, archived or not; None when there is no row."""
    return session.get(Network, row.network_id) if row is not None else None


def member_network(session: Session, network_id: int, user_id: str, *, lock: bool = False) -> Network:
    """The live network, if `user_id` takes part in it now. Raises ChannelNotLinked or NotAMember."""
    network = access.live_network(session, network_id, lock=lock)
    access.member(session, network, user_id)
    return network


def network_and_membership(session: Session, network_id: int, user_id: str) -> tuple[Network, Membership]:
    """The live network and `user_id`'s membership of it, if they take part now. Raises ChannelNotLinked
    or NotAMember."""
    network = access.live_network(session, network_id)
    return network, access.member(session, network, user_id)


def facilitator_network(session: Session, network_id: int, user_id: str, *, lock: bool = False) -> Network:
    """The live network, if `user_id` facilitates it. Raises ChannelNotLinked, NotAMember or
    NotAFacilitator."""
    network = access.live_network(session, network_id, lock=lock)
    access.facilitator(session, network, user_id)
    return network


def linked_member_network(session: Session, *, team_id: str, channel_id: str, user_id: str) -> Network:
    """The live network linked to this channel of this workspace, if `user_id` takes part in it now: how
    a command typed in the channel begins. Raises ChannelNotLinked or NotAMember."""
    network = access.linked_network(session, team_id=team_id, channel_id=channel_id)
    access.member(session, network, user_id)
    return network
