"""Group agreements: versioned, posted by a facilitator, accepted by each member with one click."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col

from bot.errors import AgreementsNotPosted
from bot.errors import AgreementsReplaced
from bot.errors import InvalidInput
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import Problems
from bot.services.input_checks import text_problems
from bot.services.kickoff import SizeNote
from bot.services.kickoff import record_size_notes
from bot.services.kickoff import retry_on_conflict
from bot.services.kickoff import size_note_for
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries
from storage import queries_kickoff as kq
from storage.db import unit_of_work
from storage.models import AgreementAcceptance
from storage.models import AgreementVersion
from storage.models import Membership
from storage.models import Network
from storage.models import Role
from storage.models.kickoff import AGREEMENTS_MAX

AGREEMENT_LINE_MAX = 500
AGREEMENTS_MAX_LINES = 25
# A list marker someone typed in front of an agreement: the message numbers them itself.
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")


def parse_agreements(text: str) -> list[str]:
    """One agreement per non-empty line, without list markers or surrounding spaces."""
    lines = (_LIST_MARKER.sub("", line).strip() for line in text.splitlines())
    return [" ".join(line.split()) for line in lines if line]


def validate_agreements(text: str) -> Problems:
    """Problems with the agreements as typed (field `agreements`), as catalog keys; empty if none."""
    lines = parse_agreements(text)
    if not lines:
        return {"agreements": ("validation.required", {})}
    longest = max(lines, key=len)
    if len(longest) > AGREEMENT_LINE_MAX:
        return {
            "agreements": (
                "kickoff.agreements.line_too_long",
                {"limit": AGREEMENT_LINE_MAX, "length": len(longest)},
            )
        }
    if len(lines) > AGREEMENTS_MAX_LINES:
        return {"agreements": ("kickoff.agreements.too_many", {"limit": AGREEMENTS_MAX_LINES})}
    return text_problems("agreements", "\n".join(lines), AGREEMENTS_MAX)


@dataclass(frozen=True, slots=True)
class AgreementsStatus:
    """The current agreements and who accepted them, as one member may see it."""

    network: Network
    version: AgreementVersion | None
    member_ids: list[str]
    """The current members, in the order they joined."""
    accepted_ids: set[str] = field(default_factory=set)
    """The current members who accepted the current version."""
    viewer_id: str | None = None
    viewer_is_facilitator: bool = False

    @property
    def accepted_count(self) -> int:
        return len(self.accepted_ids)

    @property
    def member_count(self) -> int:
        return len(self.member_ids)

    @property
    def pending_ids(self) -> list[str]:
        """Members who have not accepted the current version: for facilitators' eyes only."""
        return [user_id for user_id in self.member_ids if user_id not in self.accepted_ids]

    @property
    def viewer_accepted(self) -> bool:
        return self.viewer_id in self.accepted_ids


@dataclass(frozen=True, slots=True)
class Publication:
    status: AgreementsStatus
    previous: AgreementVersion | None
    """The version the new one replaces (its message is to be marked as replaced)."""
    to_post: bool
    """False when the facilitator submitted the posted agreements unchanged: nothing new to post."""
    size_note: SizeNote | None = None
    """Set when this first version ends the kickoff and the group is outside the 10-15 guideline."""


@dataclass(frozen=True, slots=True)
class Acceptance:
    status: AgreementsStatus
    newly: bool
    """False when the member had accepted this version already."""


class AgreementService(Service):
    def status(self, *, network_id: int, user_id: str) -> AgreementsStatus:
        """The current agreements as `user_id` sees them. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            _, membership = lookups.network_and_membership(session, network_id, user_id)
            version = kq.current_agreement_version(session=session, network_id=network_id)
            return self._status(session, network_id, version, viewer_id=user_id, viewer_role=membership.role)

    def posted_status(self, *, network_id: int) -> AgreementsStatus | None:
        """The posted agreements and who accepted them, to refresh their message after the group
        changed; None when no agreements message is posted (or the network is archived)."""
        with unit_of_work(self._sessions) as session:
            version = kq.current_agreement_version(session=session, network_id=network_id)
            network = kq.get_network(session=session, network_id=network_id)
            if version is None or version.message_ts is None or network is None or network.archived_at:
                return None
            return self._status(session, network_id, version, viewer_id="", viewer_role=Role.PARTICIPANT)

    def pending_for(self, *, network_id: int, user_id: str) -> AgreementsStatus | None:
        """The agreements the member still has to accept, or None when there are none to accept.
        Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network, membership = lookups.network_and_membership(session, network_id, user_id)
            return agreements_to_accept(session, network, membership)

    def pending_members(self, *, network_id: int, user_id: str) -> AgreementsStatus:
        """Who has not accepted the current version. Facilitators only: raises NotAFacilitator,
        NotAMember, ChannelNotLinked, or AgreementsNotPosted."""
        with unit_of_work(self._sessions) as session:
            lookups.facilitator_network(session, network_id, user_id)
            version = kq.current_agreement_version(session=session, network_id=network_id)
            if version is None:
                raise AgreementsNotPosted()
            return self._status(session, network_id, version, viewer_id=user_id, viewer_role=Role.FACILITATOR)

    def publish(
        self, *, network_id: int, user_id: str, text: str, requester: Requester | None = None
    ) -> Publication:
        """Make `text` (one agreement per line) the current agreements: a new version, which every
        member is asked to accept anew, and which is to be posted. Submitting the current agreements
        unchanged makes no new version (the requester is told so). The first version ends the kickoff:
        if the group is then outside the 10-15 guideline, the facilitators get a note.

        Raises InvalidInput, ChannelNotLinked, NotAMember or NotAFacilitator; writes nothing then.
        """
        InvalidInput.raise_if_any(validate_agreements(text))
        cleaned = "\n".join(parse_agreements(text))

        def write() -> Publication:
            with unit_of_work(self._sessions) as session:
                network = lookups.facilitator_network(session, network_id, user_id)
                previous = kq.current_agreement_version(session=session, network_id=network_id)
                if previous is not None and previous.text == cleaned:
                    return self._unchanged(session, network, previous, user_id, requester)
                version = AgreementVersion(
                    network_id=network_id,
                    version=(previous.version + 1) if previous else 1,
                    text=cleaned,
                    created_by=user_id,
                    created_at=self._clock.now(),
                )
                kq.add(session=session, row=version)
                status = self._status(
                    session, network_id, version, viewer_id=user_id, viewer_role=Role.FACILITATOR
                )
                publication = Publication(
                    status=status,
                    previous=previous if previous is not None and previous.message_ts else None,
                    to_post=True,
                    size_note=size_note_for(status.member_count) if previous is None else None,
                )
                self._record_publication(session, publication, requester)
                return publication

        return retry_on_conflict(write)

    def _unchanged(
        self,
        session: Session,
        network: Network,
        version: AgreementVersion,
        user_id: str,
        requester: Requester | None,
    ) -> Publication:
        """Nothing new to accept. A version whose post never landed is posted again."""
        status = self._status(
            session, network.id or 0, version, viewer_id=user_id, viewer_role=Role.FACILITATOR
        )
        publication = Publication(status=status, previous=None, to_post=version.message_ts is None)
        if publication.to_post:
            self._record_publication(session, publication, requester)
        else:
            self._outbox.notice(
                session,
                requester,
                "kickoff.agreements.unchanged",
                language=network.language,
                version=version.version,
            )
        return publication

    def _record_publication(
        self, session: Session, publication: Publication, requester: Requester | None
    ) -> None:
        status = publication.status
        assert status.version is not None
        self._outbox.record(
            session,
            EffectKind.AGREEMENTS,
            version_id=status.version.id,
            previous_version_id=publication.previous.id if publication.previous else None,
            requester=requester,
            language=status.network.language,
        )
        self._outbox.charter_changed(session, status.network.id or 0)
        if publication.size_note is not None:
            record_size_notes(
                self._outbox, session, status.network, note=publication.size_note, count=status.member_count
            )

    def to_post(
        self, *, version_id: int, previous_version_id: int | None
    ) -> tuple[AgreementsStatus, AgreementVersion | None] | None:
        """A version of the agreements to post, as it stands, with the version it replaces; None when
        it is no longer the current one (or the network is archived)."""
        with unit_of_work(self._sessions) as session:
            version = kq.get_agreement_version(session=session, version_id=version_id)
            if version is None:
                return None
            network = kq.get_network(session=session, network_id=version.network_id)
            current = kq.current_agreement_version(session=session, network_id=version.network_id)
            if network is None or network.archived_at or current is None or current.id != version.id:
                return None
            status = self._status(
                session, version.network_id, version, viewer_id="", viewer_role=Role.PARTICIPANT
            )
            previous = (
                kq.get_agreement_version(session=session, version_id=previous_version_id)
                if previous_version_id
                else None
            )
            return status, previous

    def attach_message(self, *, version_id: int, message_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            session.execute(
                update(AgreementVersion)
                .where(col(AgreementVersion.id) == version_id)
                .values(message_ts=message_ts)
            )

    def accept(
        self,
        *,
        network_id: int,
        user_id: str,
        version_id: int,
        requester: Requester | None = None,
        in_place: bool = False,
    ) -> Acceptance:
        """Record that the member accepts this version; accepting twice changes nothing. The member is
        thanked (`in_place`: instead of the private message they accepted in), and the posted
        agreements are to show the new count.

        Raises ChannelNotLinked, NotAMember (also for a member who left), AgreementsNotPosted, or
        AgreementsReplaced when a newer version exists (which the member is then to accept).
        """
        return self._accept(
            lambda session: access.live_network(session, network_id),
            user_id=user_id,
            version_id=version_id,
            requester=requester,
            in_place=in_place,
        )

    def accept_in_channel(
        self,
        *,
        team_id: str,
        channel_id: str,
        user_id: str,
        version_id: int,
        requester: Requester | None = None,
        in_place: bool = False,
    ) -> Acceptance:
        """As `accept`, in the network linked to the channel the button was clicked in: found in the
        same unit of work, so that a click reads the network and the membership once."""
        return self._accept(
            lambda session: access.linked_network(session, team_id=team_id, channel_id=channel_id),
            user_id=user_id,
            version_id=version_id,
            requester=requester,
            in_place=in_place,
        )

    def _accept(
        self,
        find_network: Callable[[Session], Network],
        *,
        user_id: str,
        version_id: int,
        requester: Requester | None,
        in_place: bool,
    ) -> Acceptance:
        def write() -> Acceptance:
            with unit_of_work(self._sessions) as session:
                network = find_network(session)
                network_id = network.id or 0
                membership = access.member(session, network, user_id)
                current = kq.current_agreement_version(session=session, network_id=network_id)
                if current is None:
                    raise AgreementsNotPosted()
                if current.id != version_id:
                    raise AgreementsReplaced(version=current.version)
                newly = kq.get_acceptance(session=session, version_id=version_id, user_id=user_id) is None
                if newly:
                    kq.add(
                        session=session,
                        row=AgreementAcceptance(
                            version_id=version_id, user_id=user_id, accepted_at=self._clock.now()
                        ),
                    )
                status = self._status(
                    session, network_id, current, viewer_id=user_id, viewer_role=membership.role
                )
                self._record_acceptance(session, network, current, newly, requester, in_place)
                return Acceptance(status=status, newly=newly)

        return retry_on_conflict(write)

    def _record_acceptance(
        self,
        session: Session,
        network: Network,
        version: AgreementVersion,
        newly: bool,
        requester: Requester | None,
        in_place: bool,
    ) -> None:
        if requester is not None:
            self._outbox.record(
                session,
                EffectKind.ACCEPTANCE,
                requester=requester,
                version=version.version,
                newly=newly,
                in_place=in_place,
                language=network.language,
            )
        if newly:
            self._outbox.record(session, EffectKind.AGREEMENTS_REFRESH, network_id=network.id)
            self._outbox.charter_changed(session, network.id or 0)

    def _status(
        self,
        session: Session,
        network_id: int,
        version: AgreementVersion | None,
        *,
        viewer_id: str,
        viewer_role: Role,
    ) -> AgreementsStatus:
        network = access.live_network(session, network_id)
        return _status_of(session, network, version, viewer_id=viewer_id, viewer_role=viewer_role)


def agreements_to_accept(
    session: Session, network: Network, membership: Membership
) -> AgreementsStatus | None:
    """The posted agreements as this member sees them, while they have not accepted them; None when
    there is nothing to accept (none posted yet, or accepted). The safe place comes first: `/case` shows
    them to a member before they bring a case."""
    version = kq.current_agreement_version(session=session, network_id=network.id or 0)
    if version is None or version.message_ts is None:
        return None
    if kq.get_acceptance(session=session, version_id=version.id or 0, user_id=membership.user_id):
        return None
    return _status_of(session, network, version, viewer_id=membership.user_id, viewer_role=membership.role)


def accepted_among(session: Session, version: AgreementVersion | None, member_ids: Iterable[str]) -> set[str]:
    """Which of `member_ids` accepted `version`; nobody while no agreements are posted."""
    if version is None:
        return set()
    return kq.accepted_user_ids(session=session, version_id=version.id or 0) & set(member_ids)


def _status_of(
    session: Session, network: Network, version: AgreementVersion | None, *, viewer_id: str, viewer_role: Role
) -> AgreementsStatus:
    network_id = network.id or 0
    member_ids = [m.user_id for m in queries.list_memberships(session=session, network_id=network_id)]
    return AgreementsStatus(
        network=network,
        version=version,
        member_ids=member_ids,
        accepted_ids=accepted_among(session, version, member_ids),
        viewer_id=viewer_id,
        viewer_is_facilitator=viewer_role == Role.FACILITATOR,
    )
