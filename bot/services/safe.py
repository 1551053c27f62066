"""The safe group: reading a confidential case, its guest experts, and forgetting its details.

Rules kept here, free of Slack:
- what a confidential case says (situation, question, what was tried, advice, lesson) is read only in
  the reading modal, by those `access.case_reader` lets in; a click from another workspace, on a deleted
  case, or from someone who left is refused and shows nothing;
- only the owner invites a guest expert to their confidential case, and withdraws the invitation;
  inviting twice or withdrawing twice changes nothing;
- forgetting the details keeps the title, the lesson and the counts: its owner may when closing it, a
  facilitator for every confidential case of a network once it is archived.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import CaseDeleted
from bot.errors import CaseNotFound
from bot.errors import ChannelNotLinked
from bot.errors import InvalidInput
from bot.errors import InviteYourself
from bot.errors import NetworkGone
from bot.errors import NetworkNotArchived
from bot.errors import NotConfidential
from bot.errors import NotTheCaseOwner
from bot.services import access
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from bot.services.outbox import Requester
from bot.services.service import Service
from bot.services.summary import Attention
from bot.services.summary import AttentionPoint
from bot.services.summary import NetworkSummary
from storage import queries
from storage import queries_cases
from storage import queries_kickoff
from storage import queries_safe
from storage.db import unit_of_work
from storage.models import Case
from storage.models import CaseStatus
from storage.models import Network


@dataclass(frozen=True, slots=True)
class ReadAdvice:
    giver_id: str
    text: str
    removed: bool
    """Its giver asked to be forgotten: the removal note is shown instead."""


@dataclass(frozen=True, slots=True)
class CaseReading:
    """A confidential case as the reading modal shows it to one reader."""

    case_id: int
    title: str
    owner_id: str
    situation: str
    question: str
    tried: str
    lesson: str
    status: CaseStatus
    advice: list[ReadAdvice]
    language: str
    channel_id: str
    details_forgotten: bool
    """Its details were erased: only the title, the lesson and the counts are left."""


@dataclass(frozen=True, slots=True)
class GuestList:
    """A confidential case's invited guest experts, as its owner manages them."""

    case_id: int
    title: str
    guest_ids: list[str]
    language: str
    channel_id: str = ""


def details_forgotten(case: Case) -> bool:
    # Situation and question are required at intake: blank on a kept case means they were erased.
    return case.status != CaseStatus.DELETED and not case.situation and not case.question


class SafeGroupService(Service):
    def read(self, *, case_id: int, team_id: str, user_id: str) -> CaseReading:
        """The case for `user_id` to read. Raises CaseNotFound (also for another workspace's click),
        CaseDeleted, ChannelNotLinked, and the refusals of `access.case_reader`."""
        with unit_of_work(self._sessions) as session:
            case, network = _readable_case(session, case_id, team_id)
            access.case_reader(session, network, case, user_id)
            advice = queries_cases.list_advice(session=session, case_id=case_id)
            return CaseReading(
                case_id=case_id,
                title=case.title,
                owner_id=case.owner_id,
                situation=case.situation,
                question=case.question,
                tried=case.tried,
                lesson=case.lesson,
                status=CaseStatus(case.status),
                advice=[ReadAdvice(a.giver_id, a.text, a.removed) for a in advice],
                language=network.language,
                channel_id=network.channel_id,
                details_forgotten=details_forgotten(case),
            )

    def guests(self, *, case_id: int, team_id: str, user_id: str) -> GuestList:
        """The case's guest experts, for its owner. Raises CaseNotFound, CaseDeleted, ChannelNotLinked,
        NotConfidential or NotTheCaseOwner."""
        with unit_of_work(self._sessions) as session:
            case, network = _own_confidential_case(session, case_id, team_id, user_id)
            return _guest_list(session, case, network)

    def invite(self, *, case_id: int, team_id: str, user_id: str, guest_id: str) -> GuestList:
        """Let `guest_id` read the case, and tell them so in a private message. Inviting someone twice
        changes nothing. Raises InviteYourself, and what `guests` raises."""
        if not guest_id:
            raise InvalidInput({"guest": ("validation.required", {})})
        try:
            with unit_of_work(self._sessions) as session:
                case, network = _own_confidential_case(session, case_id, team_id, user_id, lock=True)
                if guest_id == user_id:
                    raise InviteYourself()
                if queries_safe.get_guest(session=session, case_id=case_id, user_id=guest_id) is None:
                    guest = queries_safe.add_guest(
                        session=session, case_id=case_id, user_id=guest_id, at=self._clock.now()
                    )
                    self._outbox.record(
                        session,
                        EffectKind.CASE_GUEST_INVITED,
                        key=f"case-guest-{guest.id}",
                        case_id=case_id,
                        guest_id=guest_id,
                    )
                return _guest_list(session, case, network)
        except IntegrityError:
            # The owner invited the same expert twice at once; the other invitation counts.
            return self.guests(case_id=case_id, team_id=team_id, user_id=user_id)

    def withdraw(self, *, case_id: int, team_id: str, user_id: str, guest_id: str) -> GuestList:
        """The guest no longer reads the case; withdrawing twice is harmless. Raises what `guests` raises."""
        with unit_of_work(self._sessions) as session:
            case, network = _own_confidential_case(session, case_id, team_id, user_id, lock=True)
            queries_safe.remove_guest(session=session, case_id=case_id, user_id=guest_id)
            return _guest_list(session, case, network)

    def details_kept(self, *, network_id: int) -> int:
        """How many of the network's confidential cases still keep their details."""
        with unit_of_work(self._sessions) as session:
            return len(queries_safe.confidential_cases_with_details(session=session, network_id=network_id))

    def forget_archived_details(
        self, *, network_id: int, team_id: str, user_id: str, requester: Requester | None = None
    ) -> int:
        """Erase the details of every confidential case of an archived network; how many were erased.

        Raises NetworkGone (also for another workspace), NetworkNotArchived, NotAMember (also for a
        facilitator who left before the archive) or NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            network = queries_kickoff.get_network(session=session, network_id=network_id, lock=True)
            if network is None or network.team_id != team_id:
                raise NetworkGone()
            if network.archived_at is None:
                raise NetworkNotArchived()
            access.facilitator(session, network, user_id)
            cases = queries_safe.confidential_cases_with_details(session=session, network_id=network_id)
            for case in cases:
                queries_safe.forget_details(session=session, case=case)
            self._outbox.notice(
                session,
                requester,
                "safe.answer.forgotten_archived",
                language=network.language,
                count=len(cases),
            )
            return len(cases)


def public_channel_noted(summary: NetworkSummary) -> NetworkSummary:
    """The summary with "the channel is public" among what deserves attention, first: a safe place first."""
    point = AttentionPoint(Attention.PUBLIC_CHANNEL, 1)
    return dataclasses.replace(summary, attention=[point, *summary.attention])


def forget_case_details(session: Session, case: Case) -> None:
    """Erase what a confidential case said and its advice texts, as its owner may when closing it."""
    if case.confidential:
        queries_safe.forget_details(session=session, case=case)


def note_public_reply(
    session: Session,
    outbox: Outbox,
    case: Case,
    network: Network,
    *,
    reply: Requester,
    event_id: str,
    now: datetime,
) -> None:
    """Record that whoever replied in a confidential case's thread is told, privately, that the whole
    channel reads it; once per Events API delivery."""
    if queries.claim_event(session=session, event_id=event_id, received_at=now):
        outbox.record(
            session,
            EffectKind.CASE_PUBLIC_REPLY,
            requester=reply,
            case_id=case.id,
            thread_ts=case.card_ts,
            language=network.language,
        )


# ---------------------------------------------------------------------- rules shared by the methods


def _readable_case(
    session: Session, case_id: int, team_id: str, *, lock: bool = False
) -> tuple[Case, Network]:
    case = queries_cases.get_case(session=session, case_id=case_id, for_update=lock)
    if case is None:
        raise CaseNotFound()
    network = access.live_network(session, case.network_id)
    if network.team_id != team_id:
        raise ChannelNotLinked()
    if case.status == CaseStatus.DELETED:
        raise CaseDeleted()
    return case, network


def _own_confidential_case(
    session: Session, case_id: int, team_id: str, user_id: str, *, lock: bool = False
) -> tuple[Case, Network]:
    case, network = _readable_case(session, case_id, team_id, lock=lock)
    if not case.confidential:
        raise NotConfidential()
    if case.owner_id != user_id:
        raise NotTheCaseOwner(owner=case.owner_id)
    return case, network


def _guest_list(session: Session, case: Case, network: Network) -> GuestList:
    guests = queries_safe.list_guests(session=session, case_id=case.id or 0)
    return GuestList(
        case_id=case.id or 0,
        title=case.title,
        guest_ids=[g.user_id for g in guests],
        language=network.language,
        channel_id=network.channel_id,
    )
