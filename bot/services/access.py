"""Who may do what: the one place that says whether a network is linked and live, and who takes part.

Every service asks here, inside its own unit of work, and gets the row it asked about or a domain error
that names the text explaining the refusal:
- ChannelNotLinked: no network in this channel (of this workspace), or it is archived;
- NotAMember: the user does not take part now (never did, or left);
- NotAFacilitator: they take part, but do not facilitate;
- a confidential case is read by its owner, a guest expert its owner invited, and the members (no guest
  experts) who accepted the current agreements: NotInTheNetwork, GuestNotInvited, NoAgreementsYet or
  MustAcceptAgreements say why not.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.errors import ChannelNotLinked
from bot.errors import GuestNotInvited
from bot.errors import MustAcceptAgreements
from bot.errors import NoAgreementsYet
from bot.errors import NoFacilitatorLeft
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.errors import NotARoundLeader
from bot.errors import NotInTheNetwork
from storage import queries
from storage import queries_kickoff
from storage import queries_safe
from storage.models import Case
from storage.models import Membership
from storage.models import Network
from storage.models import Role

ARCHIVED_CHANNEL_SEPARATOR = "#"
"""An archived network's channel id gets this and a suffix, so that the channel is free for a new one."""


def original_channel_id(network: Network) -> str:
    """The channel a network is (or, archived, was) linked to."""
    return network.channel_id.split(ARCHIVED_CHANNEL_SEPARATOR, 1)[0]


def live_network(session: Session, network_id: int, *, lock: bool = False) -> Network:
    """The network, unless it is gone or archived."""
    return _live(find_live_network(session, network_id, lock=lock))


def linked_network(session: Session, *, team_id: str, channel_id: str) -> Network:
    """The live network linked to this channel of this workspace (a shared channel's other workspace
    sees none)."""
    return _live(find_linked_network(session, team_id=team_id, channel_id=channel_id))


def find_live_network(session: Session, network_id: int, *, lock: bool = False) -> Network | None:
    """As live_network, but None instead of a refusal: for work that is dropped when the network is gone."""
    network = queries_kickoff.get_network(session=session, network_id=network_id, lock=lock)
    return network if _is_live(network) else None


def find_linked_network(session: Session, *, team_id: str, channel_id: str) -> Network | None:
    """As linked_network, but None instead of a refusal: for events on channels the bot may not serve."""
    network = queries.get_network_by_channel(session=session, team_id=team_id, channel_id=channel_id)
    return network if _is_live(network) else None


def member(session: Session, network: Network, user_id: str) -> Membership:
    """The user's membership, if they take part in the network now."""
    membership = queries_kickoff.get_membership(session=session, network_id=network.id or 0, user_id=user_id)
    if membership is None or not membership.active:
        raise NotAMember()
    return membership


def takes_part(session: Session, network: Network, user_id: str) -> bool:
    try:
        member(session, network, user_id)
    except NotAMember:
        return False
    return True


def facilitator(session: Session, network: Network, user_id: str) -> Membership:
    membership = member(session, network, user_id)
    if membership.role != Role.FACILITATOR:
        raise NotAFacilitator() if facilitator_ids(session, network.id or 0) else NoFacilitatorLeft()
    return membership


def role_giver(session: Session, network: Network, user_id: str, role: Role) -> Membership:
    """Who may give a member a role: a facilitator. A group whose facilitators have all left (or were
    forgotten) would otherwise be locked out of every facilitator's step for good, so then any member may
    name a new facilitator."""
    membership = member(session, network, user_id)
    if membership.role == Role.FACILITATOR:
        return membership
    if facilitator_ids(session, network.id or 0):
        raise NotAFacilitator()
    if role != Role.FACILITATOR:
        raise NoFacilitatorLeft()
    return membership


def facilitator_ids(session: Session, network_id: int) -> list[str]:
    """Who facilitates the network now."""
    memberships = queries.list_memberships(session=session, network_id=network_id)
    return queries.user_ids_with_role(memberships, Role.FACILITATOR)


def case_reader(session: Session, network: Network, case: Case, user_id: str) -> None:
    """Whether `user_id` may read what the case says; an open case is read by every member."""
    if not case.confidential:
        member(session, network, user_id)
        return
    if user_id and case.owner_id == user_id:
        return
    if queries_safe.get_guest(session=session, case_id=case.id or 0, user_id=user_id) is not None:
        return
    try:
        membership = member(session, network, user_id)
    except NotAMember:
        raise NotInTheNetwork() from None
    if membership.role == Role.EXPERT:
        raise GuestNotInvited(owner=case.owner_id)
    version = queries_kickoff.current_agreement_version(session=session, network_id=network.id or 0)
    if version is None or version.message_ts is None:
        raise NoAgreementsYet()
    if queries_kickoff.get_acceptance(session=session, version_id=version.id or 0, user_id=user_id) is None:
        raise MustAcceptAgreements(version=version.version)


def may_read_case(session: Session, network: Network, case: Case, user_id: str) -> bool:
    try:
        case_reader(session, network, case, user_id)
    except (NotAMember, NotInTheNetwork, GuestNotInvited, NoAgreementsYet, MustAcceptAgreements):
        return False
    return True


def _is_live(network: Network | None) -> bool:
    return network is not None and network.archived_at is None


def _live(network: Network | None) -> Network:
    if network is None:
        raise ChannelNotLinked()
    return network


def round_leader(session: Session, network: Network, user_id: str, *, leaders: set[str]) -> Membership:
    """The user's membership, if they may start or move on a case's round: a facilitator, or one of
    `leaders` (the case's owner, the round's session lead). Raises NotAMember or NotARoundLeader."""
    membership = member(session, network, user_id)
    if membership.role != Role.FACILITATOR and user_id not in leaders:
        raise NotARoundLeader()
    return membership
