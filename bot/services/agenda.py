"""An agenda made together (`/netwerk agenda`): before a session members propose topics and put their
open cases forward; a facilitator or the session's lead picks what is discussed.

The agenda posted the day before (bot.services.meetings) reads `session_agenda`: the theme, the work
form, the roles, the picked topics and cases with who brings them, and first a round of follow-up on
the cases of earlier sessions: what members did with the advice they got.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import CaseClosed
from bot.errors import CaseNotFound
from bot.errors import InvalidInput
from bot.errors import NotAPicker
from bot.errors import NotTheCaseOwner
from bot.errors import NoUpcomingSession
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import text_problems
from bot.services.journey import PlannedRole
from bot.services.journey import planned_role
from bot.services.service import Service
from storage import queries_cases
from storage import queries_checkins
from storage import queries_journey as q
from storage.db import unit_of_work
from storage.models import AgendaItem
from storage.models import Case
from storage.models import CaseStatus
from storage.models import Meeting
from storage.models import Network
from storage.models import Role
from storage.models.journey import AGENDA_TEXT_MAX
from storage.models.journey import AgendaKind
from storage.models.journey import SessionRole


@dataclass(frozen=True, slots=True)
class AgendaCase:
    case_id: int
    title: str
    owner_id: str
    confidential: bool


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    item_id: int
    kind: AgendaKind
    text: str
    proposed_by: str
    picked: bool
    case: AgendaCase | None


@dataclass(frozen=True, slots=True)
class SessionAgenda:
    """What the agenda of one meeting holds beyond its topic and times."""

    theme: str
    workform: str
    roles: list[PlannedRole]
    topics: list[str]
    cases: list[AgendaCase]
    follow_up: list[AgendaCase]


@dataclass(frozen=True, slots=True)
class AgendaOverview:
    """The next meeting's proposals, as the viewer may see and pick them."""

    network: Network
    meeting: Meeting
    entries: list[AgendaEntry]
    may_pick: bool
    own_open_cases: list[AgendaCase]


class AgendaService(Service):
    def overview(self, *, network_id: int, user_id: str) -> AgendaOverview:
        """The next meeting's agenda as proposed so far. Raises ChannelNotLinked, NotAMember or
        NoUpcomingSession."""
        with unit_of_work(self._sessions) as session:
            network = lookups.member_network(session, network_id, user_id)
            meeting = self._next_meeting(session, network)
            return _overview(session, network, meeting, user_id)

    def propose_topic(self, *, network_id: int, user_id: str, text: str) -> AgendaOverview:
        """Propose a topic for the next meeting. Raises InvalidInput, ChannelNotLinked, NotAMember or
        NoUpcomingSession."""
        text = " ".join(text.split())
        InvalidInput.raise_if_any(text_problems("text", text, AGENDA_TEXT_MAX))
        with unit_of_work(self._sessions) as session:
            network = lookups.member_network(session, network_id, user_id)
            meeting = self._next_meeting(session, network)
            item = AgendaItem(
                meeting_id=meeting.id or 0,
                kind=AgendaKind.TOPIC,
                text=text,
                proposed_by=user_id,
                created_at=self._clock.now(),
            )
            q.save(session=session, row=item)
            return _overview(session, network, meeting, user_id)

    def put_case_forward(self, *, case_id: int, user_id: str) -> AgendaOverview:
        """Put an open case forward for the next meeting (once; a second click changes nothing).

        Raises CaseNotFound, CaseClosed, NotTheCaseOwner (only its owner or a facilitator), NotAMember
        or NoUpcomingSession.
        """
        with unit_of_work(self._sessions) as session:
            case = queries_cases.get_case(session=session, case_id=case_id)
            if case is None or case.deleted_at is not None:
                raise CaseNotFound()
            if case.status != CaseStatus.OPEN:
                raise CaseClosed()
            network, membership = lookups.network_and_membership(session, case.network_id, user_id)
            if case.owner_id != user_id and membership.role != Role.FACILITATOR:
                raise NotTheCaseOwner(owner=case.owner_id)
            meeting = self._next_meeting(session, network)
            if q.agenda_case(session=session, meeting_id=meeting.id or 0, case_id=case_id) is None:
                try:
                    with session.begin_nested():
                        item = _case_item(meeting, case_id, user_id=user_id, now=self._clock.now())
                        q.save(session=session, row=item)
                except IntegrityError:
                    pass  # the same click twice at once: the other one put it forward
            return _overview(session, network, meeting, user_id)

    def pick(self, *, item_id: int, user_id: str, picked: bool) -> AgendaOverview:
        """Pick (or drop) a proposal for its meeting. Raises NoUpcomingSession when it is gone or its
        meeting has begun, NotAMember, or NotAPicker (only a facilitator or the session lead)."""
        with unit_of_work(self._sessions) as session:
            item = q.get_agenda_item(session=session, item_id=item_id)
            meeting = session.get(Meeting, item.meeting_id) if item else None
            if item is None or meeting is None or meeting.starts_at <= self._clock.now():
                raise NoUpcomingSession()
            network = access.live_network(session, meeting.network_id)
            if not may_pick(session, network, meeting, user_id):
                raise NotAPicker()
            item.picked = picked
            q.save(session=session, row=item)
            return _overview(session, network, meeting, user_id)

    def open_cases(self, *, network_id: int) -> list[AgendaCase]:
        """The network's open cases, newest first: what a meeting can take up."""
        with unit_of_work(self._sessions) as session:
            cases = queries_cases.list_cases(session=session, network_id=network_id)
            return [_agenda_case(c) for c in reversed(cases) if c.status == CaseStatus.OPEN]

    def _next_meeting(self, session: Session, network: Network) -> Meeting:
        meeting = q.next_meeting(session=session, network_id=network.id or 0, now=self._clock.now())
        if meeting is None:
            raise NoUpcomingSession()
        return meeting


def pick_for_next_meeting(session: Session, case: Case, *, user_id: str, picked: bool, now: datetime) -> None:
    """A facilitator marked the case for the next meeting (or took it off): it is a picked case on that
    meeting's agenda, linked. Without a next meeting the mark alone says it."""
    meeting = q.next_meeting(session=session, network_id=case.network_id, now=now)
    if meeting is None:
        return
    item = q.agenda_case(session=session, meeting_id=meeting.id or 0, case_id=case.id or 0)
    if item is None and not picked:
        return
    item = item or _case_item(meeting, case.id or 0, user_id=user_id, now=now)
    item.picked = picked
    q.save(session=session, row=item)


def link_cases(
    session: Session, meeting: Meeting, case_ids: Sequence[int], *, user_id: str, now: datetime
) -> None:
    """The cases chosen when the meeting was planned: picked on its agenda, linked. A case of another
    network, closed or gone is left out."""
    for case_id in dict.fromkeys(case_ids):
        case = queries_cases.get_case(session=session, case_id=case_id)
        if case is None or case.network_id != meeting.network_id or case.status != CaseStatus.OPEN:
            continue
        q.save(session=session, row=_case_item(meeting, case_id, user_id=user_id, now=now, picked=True))


def _case_item(
    meeting: Meeting, case_id: int, *, user_id: str, now: datetime, picked: bool = False
) -> AgendaItem:
    """The case on the meeting's agenda, put there by `user_id`."""
    return AgendaItem(
        meeting_id=meeting.id or 0,
        kind=AgendaKind.CASE,
        case_id=case_id,
        proposed_by=user_id,
        created_at=now,
        picked=picked,
    )


def may_pick(session: Session, network: Network, meeting: Meeting, user_id: str) -> bool:
    """A facilitator, or the lead of the session (gespreksleider), picks its agenda."""
    membership = access.member(session, network, user_id)
    if membership.role == Role.FACILITATOR:
        return True
    planned = q.session_of_meeting(session=session, meeting_id=meeting.id or 0)
    roles = q.list_roles(session=session, session_ids=[planned.id or 0]) if planned else []
    return any(role.role == SessionRole.LEAD and role.user_id == user_id for role in roles)


def session_agenda(session: Session, meeting: Meeting) -> SessionAgenda | None:
    """What the meeting's agenda names beyond its topic; None for a one-off meeting with nothing more."""
    planned = q.session_of_meeting(session=session, meeting_id=meeting.id or 0)
    items = [item for item in q.list_agenda(session=session, meeting_ids=[meeting.id or 0]) if item.picked]
    earlier = [
        m.id or 0
        for m in queries_checkins.list_meetings(session=session, network_id=meeting.network_id)
        if m.starts_at < meeting.starts_at and m.id != meeting.id
    ]
    earlier_cases = [
        item.case_id or 0
        for item in q.list_agenda(session=session, meeting_ids=earlier)
        if item.picked and item.case_id is not None
    ]
    cases = q.cases_by_id(
        session=session, case_ids=[i.case_id or 0 for i in items if i.case_id] + earlier_cases
    )
    if planned is None and not items and not earlier_cases:
        return None
    roles = q.list_roles(session=session, session_ids=[planned.id or 0]) if planned else []
    order = list(SessionRole)
    return SessionAgenda(
        theme=planned.theme if planned else meeting.topic,
        workform=planned.workform if planned else "",
        roles=[planned_role(r) for r in sorted(roles, key=lambda r: (order.index(r.role), r.slot))],
        topics=[item.text for item in items if item.kind == AgendaKind.TOPIC],
        cases=[_agenda_case(cases[i.case_id]) for i in items if i.case_id in cases],
        follow_up=[_agenda_case(cases[c]) for c in dict.fromkeys(earlier_cases) if c in cases],
    )


def _agenda_case(case: Case) -> AgendaCase:
    return AgendaCase(
        case_id=case.id or 0, title=case.title, owner_id=case.owner_id, confidential=case.confidential
    )


def _overview(session: Session, network: Network, meeting: Meeting, user_id: str) -> AgendaOverview:
    items = q.list_agenda(session=session, meeting_ids=[meeting.id or 0])
    cases = q.cases_by_id(session=session, case_ids=[item.case_id or 0 for item in items if item.case_id])
    entries = [
        AgendaEntry(
            item_id=item.id or 0,
            kind=AgendaKind(item.kind),
            text=item.text,
            proposed_by=item.proposed_by,
            picked=item.picked,
            case=_agenda_case(cases[item.case_id]) if item.case_id in cases else None,
        )
        for item in items
        if item.kind == AgendaKind.TOPIC or item.case_id in cases
    ]
    on_agenda = {entry.case.case_id for entry in entries if entry.case}
    own = [
        _agenda_case(case)
        for case in queries_cases.list_cases(session=session, network_id=network.id or 0)
        if case.owner_id == user_id and case.status == CaseStatus.OPEN and case.id not in on_agenda
    ]
    return AgendaOverview(
        network=network,
        meeting=meeting,
        entries=entries,
        may_pick=may_pick(session, network, meeting, user_id),
        own_open_cases=own,
    )
