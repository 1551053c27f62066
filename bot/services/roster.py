"""Who is in the network: members following the channel, their roles, and the roster."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlmodel import Session

from bot.errors import LastFacilitator
from bot.errors import RoleUsage
from bot.errors import TargetNotAMember
from bot.services import access
from bot.services import lookups
from bot.services.agreements import accepted_among
from bot.services.journey import release_roles
from bot.services.kickoff import GROUP_SIZE_MAX
from bot.services.kickoff import GROUP_SIZE_MIN
from bot.services.kickoff import SizeNote
from bot.services.kickoff import record_group_changed
from bot.services.kickoff import record_size_notes
from bot.services.kickoff import retry_on_conflict
from bot.services.kickoff import size_note_for
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries
from storage import queries_kickoff as kq
from storage.db import unit_of_work
from storage.models import Membership
from storage.models import Network
from storage.models import Role
from storage.queries_summary import introduced_user_ids

# The words `/netwerk rol` understands, in each of the bot's languages: at least the one-word name its
# roster shows for the role (French "facilitateur"; "expert" and "participant" serve French too).
ROLE_WORDS: dict[str, Role] = {
    "facilitator": Role.FACILITATOR,
    "trekker": Role.FACILITATOR,
    "facilitateur": Role.FACILITATOR,
    "expert": Role.EXPERT,
    "gastexpert": Role.EXPERT,
    "deelnemer": Role.PARTICIPANT,
    "participant": Role.PARTICIPANT,
}
# The roster lists facilitators first, then guest experts, then participants.
_ROLE_ORDER = {Role.FACILITATOR: 0, Role.EXPERT: 1, Role.PARTICIPANT: 2}


def role_from_word(word: str) -> Role:
    """The role a word names; raises RoleUsage for any other word."""
    role = ROLE_WORDS.get(word.strip().lower())
    if role is None:
        raise RoleUsage()
    return role


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """A member joined or left the network's channel; what to tell whom about it."""

    network: Network
    user_id: str
    member_count: int
    facilitator_ids: list[str]
    size_note: SizeNote | None = None
    """Set when this change takes the group outside the 10-15 guideline."""


@dataclass(frozen=True, slots=True)
class RoleChange:
    network: Network
    user_id: str
    previous: Role
    role: Role

    @property
    def changed(self) -> bool:
        return self.previous != self.role


@dataclass(frozen=True, slots=True)
class RosterEntry:
    user_id: str
    role: Role
    introduced: bool
    accepted: bool | None
    """Whether they accepted the current agreements; None when the viewer may not see it (only
    facilitators see who has not accepted) or when no agreements are posted."""


@dataclass(frozen=True, slots=True)
class Roster:
    network: Network
    viewer_id: str
    viewer_is_facilitator: bool
    entries: list[RosterEntry] = field(default_factory=list)
    agreements_version: int | None = None
    accepted_count: int = 0

    @property
    def size(self) -> int:
        return len(self.entries)

    @property
    def size_note(self) -> SizeNote | None:
        return size_note_for(self.size)


class MemberService(Service):
    def member_joined(
        self, *, team_id: str, channel_id: str, user_id: str, event_id: str
    ) -> MembershipChange | None:
        """Record that the user joined the network's channel: a new participant, or a returning member
        with their old role. None when there is nothing to tell: no network on the channel, the event
        was handled before (Slack re-delivers), or the user was a member already.

        The change carries a size note when the group grows past 15.
        """

        def join(session: Session, network: Network, now: datetime) -> MembershipChange | None:
            network_id = network.id or 0
            before = kq.count_active_members(session=session, network_id=network_id)
            membership = kq.get_membership(session=session, network_id=network_id, user_id=user_id)
            if membership is not None and membership.active:
                return None
            if membership is None:
                membership = Membership(
                    network_id=network_id, user_id=user_id, role=Role.PARTICIPANT, joined_at=now
                )
            membership.joined_at = now
            membership.left_at = None
            kq.add_membership(session=session, membership=membership)
            after = before + 1
            grew_too_large = before <= GROUP_SIZE_MAX < after
            self._outbox.record(session, EffectKind.JOIN_WELCOME, network_id=network_id, user_id=user_id)
            return self._group_changed(
                session, network, user_id, after, SizeNote.TOO_LARGE if grew_too_large else None
            )

        return self._on_new_event(team_id, channel_id, event_id, join)

    def member_left(
        self, *, team_id: str, channel_id: str, user_id: str, event_id: str
    ) -> MembershipChange | None:
        """Record that the user left the network's channel (their history stays). None when there is
        nothing to tell (no network, a re-delivery, or not a member).

        After the kickoff (once the first agreements are posted), the change carries a size note when
        the group drops under 10.
        """

        def leave(session: Session, network: Network, now: datetime) -> MembershipChange | None:
            network_id = network.id or 0
            membership = kq.get_membership(session=session, network_id=network_id, user_id=user_id)
            if membership is None or not membership.active:
                return None
            before = kq.count_active_members(session=session, network_id=network_id)
            membership.left_at = now
            kq.add_membership(session=session, membership=membership)
            after = before - 1
            kickoff_over = kq.current_agreement_version(session=session, network_id=network_id) is not None
            shrank_too_small = kickoff_over and after < GROUP_SIZE_MIN <= before
            change = self._group_changed(
                session, network, user_id, after, SizeNote.TOO_SMALL if shrank_too_small else None
            )
            release_roles(session, self._outbox, network, user_id, now)
            return change

        return self._on_new_event(team_id, channel_id, event_id, leave)

    def leave_out_apps(self, *, network_id: int, app_user_ids: list[str]) -> int:
        """Take the apps' bot users that the channel's members brought in at the start out of the network
        again: no one to count, welcome or pair. Only participants go, never a facilitator, and doing it
        twice changes nothing. How many went."""
        if not app_user_ids:
            return 0
        with unit_of_work(self._sessions) as session:
            removed = kq.delete_participants(session=session, network_id=network_id, user_ids=app_user_ids)
            if removed:
                record_group_changed(self._outbox, session, network_id)
            return removed

    def _on_new_event(
        self,
        team_id: str,
        channel_id: str,
        event_id: str,
        change: Callable[[Session, Network, datetime], MembershipChange | None],
    ) -> MembershipChange | None:
        """`change` in one unit of work (again on a conflict), for an event not handled before on the
        channel's network; None without such a network or for a re-delivery."""

        def write() -> MembershipChange | None:
            now = self._clock.now()
            with unit_of_work(self._sessions) as session:
                network = _new_event_on_network(session, team_id, channel_id, event_id=event_id, now=now)
                return None if network is None else change(session, network, now)

        return retry_on_conflict(write)

    def roster(self, *, network_id: int, viewer_id: str) -> Roster:
        """The members with their role, introduction and acceptance, as the viewer may see them.

        Raises ChannelNotLinked or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            network, viewer = lookups.network_and_membership(session, network_id, viewer_id)
            is_facilitator = viewer.role == Role.FACILITATOR
            memberships = queries.list_memberships(session=session, network_id=network_id)
            introduced = introduced_user_ids(session=session, network_id=network_id)
            version = kq.current_agreement_version(session=session, network_id=network_id)
            accepted = accepted_among(session, version, (m.user_id for m in memberships))
        ordered = sorted(memberships, key=lambda m: (_ROLE_ORDER.get(m.role, 9), m.joined_at, m.id or 0))
        entries = [
            RosterEntry(
                user_id=m.user_id,
                role=m.role,
                introduced=m.user_id in introduced,
                accepted=(m.user_id in accepted)
                if version is not None and (is_facilitator or m.user_id == viewer_id)
                else None,
            )
            for m in ordered
        ]
        return Roster(
            network=network,
            viewer_id=viewer_id,
            viewer_is_facilitator=is_facilitator,
            entries=entries,
            agreements_version=version.version if version else None,
            accepted_count=len(accepted),
        )

    def set_role(
        self,
        *,
        network_id: int,
        by_user_id: str,
        user_id: str,
        role: Role,
        requester: Requester | None = None,
    ) -> RoleChange:
        """Give a member another role (the requester is told). Facilitators only, but for a group that has
        none left, whose members may name one; the last facilitator keeps the role.

        Role changes in one network are serialised (a row lock on PostgreSQL, SQLite's single writer),
        so two facilitators stepping down at once cannot leave the network without one.
        Raises ChannelNotLinked, NotAMember, NotAFacilitator, TargetNotAMember or LastFacilitator.
        """

        def write() -> RoleChange:
            with unit_of_work(self._sessions) as session:
                network = access.live_network(session, network_id, lock=True)
                access.role_giver(session, network, by_user_id, role)
                target = kq.get_membership(session=session, network_id=network_id, user_id=user_id)
                if target is None or not target.active:
                    raise TargetNotAMember(user=user_id)
                previous = target.role
                if previous != role:
                    target.role = role
                    kq.add_membership(session=session, membership=target)
                    if not access.facilitator_ids(session, network_id):
                        raise LastFacilitator()
                    self._outbox.charter_changed(session, network_id)
                if requester is not None:
                    self._outbox.record(
                        session,
                        EffectKind.ROLE_CHANGED,
                        requester=requester,
                        network_id=network_id,
                        user_id=user_id,
                        previous=str(previous),
                        role=str(role),
                        language=network.language,
                    )
                return RoleChange(network=network, user_id=user_id, previous=previous, role=role)

        return retry_on_conflict(write)

    def _group_changed(
        self, session: Session, network: Network, user_id: str, member_count: int, size_note: SizeNote | None
    ) -> MembershipChange:
        """The group now `member_count` strong since `user_id` came or went. The agreements' count ("X of
        Y members") and the map's votes (only current members' count) are to follow the group;
        facilitators get a note when it leaves the guideline."""
        network_id = network.id
        change = MembershipChange(
            network=network,
            user_id=user_id,
            member_count=member_count,
            facilitator_ids=access.facilitator_ids(session, network_id or 0),
            size_note=size_note,
        )
        record_group_changed(self._outbox, session, network_id or 0)
        if change.size_note is not None:
            record_size_notes(
                self._outbox, session, change.network, note=change.size_note, count=change.member_count
            )
        return change

    def welcome(self, *, network_id: int, user_id: str) -> MembershipChange | None:
        """What a member who joined is welcomed with; None when they left again or the network is gone."""
        with unit_of_work(self._sessions) as session:
            network = access.find_live_network(session, network_id)
            if network is None or not access.takes_part(session, network, user_id):
                return None
            return MembershipChange(
                network=network,
                user_id=user_id,
                member_count=kq.count_active_members(session=session, network_id=network_id),
                facilitator_ids=access.facilitator_ids(session, network_id),
            )

    def network(self, *, network_id: int) -> Network | None:
        """The network, live or archived; None when it is gone."""
        with unit_of_work(self._sessions) as session:
            return kq.get_network(session=session, network_id=network_id)


def _new_event_on_network(
    session: Session, team_id: str, channel_id: str, *, event_id: str, now: datetime
) -> Network | None:
    """The live network on the channel, if the event is new (claimed now); None when there is no such
    network or Slack delivers the event again."""
    network = access.find_linked_network(session, team_id=team_id, channel_id=channel_id)
    if network is None:
        return None
    if not queries.claim_event(session=session, event_id=event_id, received_at=now):
        return None
    return network
