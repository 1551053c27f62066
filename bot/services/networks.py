"""Linking a channel to a learning network, and finding the network a request belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import ChannelAlreadyLinked
from bot.errors import ChannelNotLinked
from bot.errors import InvalidInput
from bot.errors import NotAMember
from bot.i18n import SUPPORTED_LANGUAGES
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from bot.settings import is_known_timezone
from storage import queries
from storage import queries_kickoff
from storage.db import unit_of_work
from storage.models import GOAL_MAX
from storage.models import NAME_MAX
from storage.models import Membership
from storage.models import Network
from storage.models import NetworkComposition
from storage.models import NetworkOrigin
from storage.models import Role


@dataclass(frozen=True, slots=True)
class NetworkDetails:
    """What a facilitator fills in to start a network; raw strings until validated."""

    name: str
    goal: str
    origin: str
    composition: str
    language: str
    timezone: str


@dataclass(frozen=True, slots=True)
class NetworkOverview:
    network: Network
    memberships: list[Membership] = field(default_factory=list)

    @property
    def network_id(self) -> int:
        return self.network.id or 0

    @property
    def facilitator_ids(self) -> list[str]:
        return queries.user_ids_with_role(self.memberships, Role.FACILITATOR)

    def membership_of(self, user_id: str) -> Membership | None:
        """The user's active membership, or None for someone outside the network (or who left)."""
        return next((m for m in self.memberships if m.user_id == user_id and m.active), None)

    def require_member(self, user_id: str) -> Membership:
        """Raises NotAMember unless the user takes part in the network now.

        For handlers that already hold the overview; services ask bot.services.access."""
        membership = self.membership_of(user_id)
        if membership is None:
            raise NotAMember()
        return membership


def validate_details(details: NetworkDetails) -> Problems:
    """The problems with `details`, by field name, each as a catalog key with its values; empty if none."""
    problems: Problems = {}
    check_length(problems, "name", details.name.strip(), NAME_MAX, required=True)
    check_length(problems, "goal", details.goal.strip(), GOAL_MAX)
    if details.origin not in set(NetworkOrigin):
        problems["origin"] = ("validation.choose_one", {})
    if details.composition not in set(NetworkComposition):
        problems["composition"] = ("validation.choose_one", {})
    if details.language not in SUPPORTED_LANGUAGES:
        problems["language"] = ("validation.choose_one", {})
    if not is_known_timezone(details.timezone):
        problems["timezone"] = ("validation.unknown_timezone", {})
    return problems


def network_overview(session: Session, network: Network) -> NetworkOverview:
    """The network with its active members, for rules that look at the whole group."""
    return NetworkOverview(
        network=network, memberships=queries.list_memberships(session=session, network_id=network.id or 0)
    )


class NetworkService(Service):
    def overview(self, *, network_id: int) -> NetworkOverview:
        """The network with its active members; raises ChannelNotLinked when it is gone."""
        with unit_of_work(self._sessions) as session:
            network = queries_kickoff.get_network(session=session, network_id=network_id)
            if network is None:
                raise ChannelNotLinked()
            return network_overview(session, network)

    def find_by_channel(self, *, team_id: str, channel_id: str) -> NetworkOverview | None:
        """The network linked to this channel with its active members, or None."""
        with unit_of_work(self._sessions) as session:
            network = queries.get_network_by_channel(session=session, team_id=team_id, channel_id=channel_id)
            return network_overview(session, network) if network is not None else None

    def require_network(self, *, team_id: str, channel_id: str) -> NetworkOverview:
        """The network of this channel; raises ChannelNotLinked when there is none (or it is archived)."""
        overview = self.find_by_channel(team_id=team_id, channel_id=channel_id)
        if overview is None or overview.network.archived_at is not None:
            raise ChannelNotLinked()
        return overview

    def link_channel(
        self,
        *,
        team_id: str,
        channel_id: str,
        facilitator_id: str,
        details: NetworkDetails,
        channel_member_ids: list[str],
        requester: Requester | None = None,
    ) -> NetworkOverview:
        """Link the channel to a new network; the caller becomes its facilitator, the others participants;
        the group is to be welcomed in the channel.

        Raises InvalidInput when the details do not validate, and ChannelAlreadyLinked when the channel
        already has a network (also when another request linked it a moment earlier). Writes all or nothing.
        """
        InvalidInput.raise_if_any(validate_details(details))
        now = self._clock.now()
        roles = {user_id: Role.PARTICIPANT for user_id in channel_member_ids}
        roles[facilitator_id] = Role.FACILITATOR
        try:
            with unit_of_work(self._sessions) as session:
                existing = queries.get_network_by_channel(
                    session=session, team_id=team_id, channel_id=channel_id
                )
                if existing is not None:
                    raise ChannelAlreadyLinked(name=existing.name)
                network = queries.add_network(
                    session=session,
                    network=_new_network(details, team_id, channel_id, facilitator_id, now),
                )
                memberships = queries.add_memberships(
                    session=session, network_id=network.id or 0, roles=roles, joined_at=now
                )
                self._outbox.record(
                    session,
                    EffectKind.NETWORK_WELCOME,
                    key=f"network-welcome-{network.id}",
                    network_id=network.id,
                    requester=requester,
                    language=details.language,
                )
                self._outbox.charter_changed(session, network.id or 0)
        except IntegrityError:
            # Another request linked the channel between our check and our insert.
            overview = self.find_by_channel(team_id=team_id, channel_id=channel_id)
            raise ChannelAlreadyLinked(name=overview.network.name if overview else "") from None
        return NetworkOverview(network=network, memberships=memberships)


def _new_network(
    details: NetworkDetails, team_id: str, channel_id: str, facilitator_id: str, now: datetime
) -> Network:
    return Network(
        team_id=team_id,
        channel_id=channel_id,
        name=details.name.strip(),
        goal=details.goal.strip(),
        origin=NetworkOrigin(details.origin),
        composition=NetworkComposition(details.composition),
        language=details.language,
        timezone=details.timezone,
        created_by=facilitator_id,
        created_at=now,
    )
