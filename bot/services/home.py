"""App Home: what each person sees of the networks they take part in, and the facilitator's CSV file.

A person may take part in several networks (one per channel). For each they see their role, their own
open cases and what they have not done yet (introduce themselves, accept the agreements, vote on the
expectations map, answer the open check-in); a facilitator also sees the network at a glance. Nothing
here knows Slack; whether someone answered the open check-in is told by the same keyed hash the
check-ins keep (see bot.services.checkin_answers.Respondents), never by a stored user id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.errors import NetworkGone
from bot.i18n import t
from bot.services import access
from bot.services.agreements import accepted_among
from bot.services.export import export_network
from bot.services.kickoff import SizeNote
from bot.services.kickoff import size_note_for
from bot.services.networks import NetworkOverview
from bot.services.networks import network_overview
from bot.services.outbox import EffectKind
from bot.services.service import AnswerKeepingService
from storage import queries
from storage import queries_cases
from storage import queries_checkins as qc
from storage import queries_home
from storage import queries_kickoff as kq
from storage.db import unit_of_work
from storage.models import Case
from storage.models import CaseStatus
from storage.models import CheckinPoll
from storage.models import Membership
from storage.models import Network
from storage.models import Role
from storage.models.checkins import PollStatus
from storage.queries_summary import introduced_user_ids

_TAKING_ANSWERS = (PollStatus.POSTED, PollStatus.OPEN)


@dataclass(frozen=True, slots=True)
class LastCheckin:
    """The network's most recent check-in poll that reached the channel."""

    poll_id: int
    posted_at: datetime | None
    closes_at: datetime
    is_open: bool
    respondents: int
    members: int
    """The members it was asked of: counted at its close, or now while it is open."""


@dataclass(frozen=True, slots=True)
class Glance:
    """A network as its facilitators see it at a glance."""

    member_count: int
    introduced: int
    agreements_posted: bool
    accepted: int
    open_cases: int
    open_cases_without_advice: int
    last_checkin: LastCheckin | None

    @property
    def size_note(self) -> SizeNote | None:
        """Whether the group is outside the 10-15 guideline."""
        return size_note_for(self.member_count)


@dataclass(frozen=True, slots=True)
class OpenCase:
    id: int
    title: str
    advice_count: int


@dataclass(frozen=True, slots=True)
class ToDo:
    """What the person has not done yet in a network; each False once done or not asked (yet)."""

    introduce: bool
    accept_agreements: bool
    vote: bool
    answer_checkin: bool

    @property
    def anything(self) -> bool:
        return self.introduce or self.accept_agreements or self.vote or self.answer_checkin


@dataclass(frozen=True, slots=True)
class NetworkHome:
    network_id: int
    name: str
    channel_id: str
    language: str
    timezone: str
    role: Role
    todo: ToDo
    open_cases: list[OpenCase] = field(default_factory=list)
    """The person's own open cases, oldest first."""
    glance: Glance | None = None
    """Set for facilitators only."""

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR


@dataclass(frozen=True, slots=True)
class Home:
    user_id: str
    networks: list[NetworkHome]


@dataclass(frozen=True, slots=True)
class FacilitatedNetwork:
    """A network the caller facilitates: where a facilitator's action from App Home goes."""

    overview: NetworkOverview

    @property
    def network_id(self) -> int:
        return self.overview.network_id

    @property
    def channel_id(self) -> str:
        return self.overview.network.channel_id

    @property
    def language(self) -> str:
        return self.overview.network.language


@dataclass(frozen=True, slots=True)
class NetworkCsv:
    """What the facilitator's CSV file holds (bot.views.export_csv builds it): the network's export."""

    filename: str
    exported: dict[str, Any]
    network_name: str
    language: str


class HomeService(AnswerKeepingService):
    def home(self, *, team_id: str, user_id: str) -> Home:
        """Every live network of the workspace that `user_id` takes part in, as their App Home shows it;
        none for someone in no network."""
        with unit_of_work(self._sessions) as session:
            networks = [
                self._network_home(session, network, membership)
                for network, membership in queries_home.networks_of_user(
                    session=session, team_id=team_id, user_id=user_id
                )
            ]
        return Home(user_id=user_id, networks=networks)

    def facilitated_network(self, *, team_id: str, network_id: int, user_id: str) -> FacilitatedNetwork:
        """The network, if `user_id` facilitates it now: the check behind every facilitator button.

        Raises NetworkGone (no such network in this workspace, or archived), NotAMember or
        NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            return _facilitated(session, team_id=team_id, network_id=network_id, user_id=user_id)

    def send_csv(
        self, *, team_id: str, network_id: int, user_id: str, language: str, summary_available: bool
    ) -> None:
        """Record that the network's CSV file goes to the facilitator's DM, built when it is sent, and
        their App Home (in `language`) says how it went. Raises what `facilitated_network` raises."""
        with unit_of_work(self._sessions) as session:
            _facilitated(session, team_id=team_id, network_id=network_id, user_id=user_id)
            self._outbox.record(
                session,
                EffectKind.HOME_CSV,
                team_id=team_id,
                network_id=network_id,
                user_id=user_id,
                language=language,
                summary_available=summary_available,
            )

    def network_csv(self, *, team_id: str, network_id: int, user_id: str) -> NetworkCsv:
        """The network's data for a facilitator's CSV file (see bot.views.export_csv).

        Raises what `facilitated_network` raises.
        """
        facilitated = self.facilitated_network(team_id=team_id, network_id=network_id, user_id=user_id)
        network = facilitated.overview.network
        exported = export_network(sessions=self._sessions, channel_id=network.channel_id, team_id=team_id)
        local_day = self._today(network)
        return NetworkCsv(
            filename=f"{_file_stem(network.name, network.language)}-{local_day.isoformat()}.csv",
            exported=exported,
            network_name=network.name,
            language=network.language,
        )

    # ------------------------------------------------------------------ one network

    def _network_home(self, session: Session, network: Network, membership: Membership) -> NetworkHome:
        network_id = network.id or 0
        user_id = membership.user_id
        members = queries.list_memberships(session=session, network_id=network_id)
        member_ids = {m.user_id for m in members}
        introduced = introduced_user_ids(session=session, network_id=network_id)
        agreements = kq.current_agreement_version(session=session, network_id=network_id)
        accepted = accepted_among(session, agreements, member_ids)
        on_map = kq.get_expectations_map(session=session, network_id=network_id) is not None
        # A posted map of expectations alone has nothing to vote on.
        votable = on_map and bool(kq.list_learning_goals(session=session, network_id=network_id))
        voted = (
            bool(kq.list_votes(session=session, network_id=network_id, user_id=user_id)) if votable else True
        )
        cases = queries_cases.list_cases(session=session, network_id=network_id)
        open_cases = [case for case in cases if case.status == CaseStatus.OPEN]
        advice = queries_cases.advice_counts(session=session, case_ids=[case.id or 0 for case in open_cases])
        last_poll = _last_posted_poll(session, network_id)
        respondents = _respondents(session, last_poll) if last_poll is not None else set()
        role = Role(membership.role)
        todo = ToDo(
            introduce=user_id not in introduced,
            accept_agreements=agreements is not None and user_id not in accepted,
            vote=not voted,
            answer_checkin=last_poll is not None
            and last_poll.status in _TAKING_ANSWERS
            and self._respondents.of_poll(last_poll.id or 0, user_id) not in respondents,
        )
        glance = None
        if role == Role.FACILITATOR:
            glance = Glance(
                member_count=len(members),
                introduced=len(introduced & member_ids),
                agreements_posted=agreements is not None,
                accepted=len(accepted),
                open_cases=len(open_cases),
                open_cases_without_advice=sum(1 for case in open_cases if not advice.get(case.id or 0)),
                last_checkin=_last_checkin(last_poll, respondents, len(members)),
            )
        return NetworkHome(
            network_id=network_id,
            name=network.name,
            channel_id=network.channel_id,
            language=network.language,
            timezone=network.timezone,
            role=role,
            todo=todo,
            open_cases=[_open_case(case, advice) for case in open_cases if case.owner_id == user_id],
            glance=glance,
        )


def _facilitated(session: Session, *, team_id: str, network_id: int, user_id: str) -> FacilitatedNetwork:
    network = session.get(Network, network_id)
    if network is None or network.team_id != team_id or network.archived_at is not None:
        raise NetworkGone()
    overview = network_overview(session, network)
    access.facilitator(session, network, user_id)
    return FacilitatedNetwork(overview=overview)


def _last_posted_poll(session: Session, network_id: int) -> CheckinPoll | None:
    polls = [poll for poll in qc.list_polls(session=session, network_id=network_id) if poll.message_ts]
    return max(polls, key=lambda poll: (poll.posted_at or poll.claimed_at, poll.id or 0), default=None)


def _respondents(session: Session, poll: CheckinPoll) -> set[str]:
    poll_ids = [poll.id or 0]
    return {r.respondent for r in qc.list_reactions(session=session, poll_ids=poll_ids)} | {
        a.respondent for a in qc.list_answers(session=session, poll_ids=poll_ids)
    }


def _last_checkin(poll: CheckinPoll | None, respondents: set[str], member_count: int) -> LastCheckin | None:
    if poll is None:
        return None
    is_open = poll.status in _TAKING_ANSWERS
    return LastCheckin(
        poll_id=poll.id or 0,
        posted_at=poll.posted_at,
        closes_at=poll.closes_at,
        is_open=is_open,
        respondents=len(respondents),
        members=member_count if is_open or poll.member_count is None else poll.member_count,
    )


def _open_case(case: Case, advice: dict[int, int]) -> OpenCase:
    return OpenCase(id=case.id or 0, title=case.title, advice_count=advice.get(case.id or 0, 0))


def _file_stem(name: str, language: str) -> str:
    """A network's name as a file name that every system keeps: ASCII letters, digits and dashes; a name
    with none of those (emoji, another script) gives the word "network" in the network's language."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()
    return stem[:60].rstrip("-") or t("home.csv.file_stem", language)
