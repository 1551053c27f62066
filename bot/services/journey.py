"""The trajectory (`/netwerk traject`): a facilitator plans a series of sessions; the bot proposes their
themes from the learning goals with the most votes and hands the roles out in turn.

Each session is a meeting (bot.services.meetings): its agenda goes out the day before and its evaluation
at its end, as any meeting's. Every change bumps the plan's version, so that a facilitator who edits a
plan someone else changed meanwhile is told instead of overwriting it; and every change records that
the plan's message and the charter must read anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import InvalidInput
from bot.errors import JourneyChanged
from bot.errors import NoJourney
from bot.errors import RoleNotYours
from bot.services import access
from bot.services import lookups
from bot.services.checkin_schedule import parse_time_of_day
from bot.services.expectations import network_goals
from bot.services.journey_plan import JourneyForm
from bot.services.journey_plan import SessionEdit
from bot.services.journey_plan import local_moment
from bot.services.journey_plan import next_in_line
from bot.services.journey_plan import rotate_roles
from bot.services.journey_plan import session_days
from bot.services.journey_plan import validate_journey_form
from bot.services.journey_plan import validate_session_edits
from bot.services.journey_plan import workform_key
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries
from storage import queries_journey as q
from storage import queries_kickoff
from storage.db import unit_of_work
from storage.models import Journey
from storage.models import JourneyRole
from storage.models import JourneySession
from storage.models import Meeting
from storage.models import Network
from storage.models import Role
from storage.models.journey import PLACE_MAX
from storage.models.journey import AgendaKind
from storage.models.journey import Rhythm
from storage.models.journey import RoleState
from storage.models.journey import SessionRole

EDITABLE_SESSIONS = 24
"""The themes modal edits this many upcoming sessions at once (two fields each, within Slack's 100 blocks)."""


@dataclass(frozen=True, slots=True)
class PlannedRole:
    role_id: int
    role: SessionRole
    slot: int
    user_id: str
    state: RoleState


@dataclass(frozen=True, slots=True)
class PlannedSession:
    session_id: int
    meeting_id: int
    position: int
    starts_at: datetime
    ends_at: datetime
    theme: str
    workform: str
    roles: list[PlannedRole]
    case_ids: list[int] = field(default_factory=list)

    def holders(self, role: SessionRole) -> list[str]:
        return [r.user_id for r in self.roles if r.role == role and r.user_id]


@dataclass(frozen=True, slots=True)
class JourneyPlan:
    journey_id: int
    network_id: int
    channel_id: str
    language: str
    timezone: str
    version: int
    rhythm: Rhythm
    place: str
    planned_by: str
    plan_ts: str | None
    sessions: list[PlannedSession]
    archived: bool = False
    """The network is archived: its plan message is only brought up to date where it is (someone in it
    was forgotten), never posted anew."""

    @property
    def plan_key(self) -> str:
        return f"journey/{self.journey_id}/plan"


@dataclass(frozen=True, slots=True)
class JourneyShown:
    """The trajectory as the viewer may see and change it."""

    network: Network
    plan: JourneyPlan | None
    viewer_id: str
    may_plan: bool
    now: datetime


@dataclass(frozen=True, slots=True)
class RoleAsked:
    """A role someone passed on, as the member asked to take it over reads it."""

    role: PlannedRole
    session: PlannedSession
    channel_id: str
    language: str
    timezone: str


class JourneyService(Service):
    def for_viewer(self, *, network_id: int, user_id: str) -> JourneyShown:
        """The plan as a member sees it. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network, membership = lookups.network_and_membership(session, network_id, user_id)
            return JourneyShown(
                network=network,
                plan=load_plan(session, network),
                viewer_id=user_id,
                may_plan=membership.role == Role.FACILITATOR,
                now=self._clock.now(),
            )

    def planning(self, *, network_id: int, user_id: str) -> tuple[Network, date, int]:
        """The network, the day the plan modal starts at and the plan's version, for a facilitator.

        Raises ChannelNotLinked, NotAMember, or NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            journey = q.get_journey(session=session, network_id=network_id)
            day = (self._clock.now().astimezone(ZoneInfo(network.timezone)) + timedelta(days=7)).date()
            return network, day, journey.version if journey else 0

    def plan(
        self, *, network_id: int, user_id: str, form: JourneyForm, version: int, requester: Requester | None
    ) -> None:
        """Plan the trajectory (replacing the sessions of an earlier plan that have not begun), post it.

        Raises ChannelNotLinked, NotAMember, NotAFacilitator, InvalidInput or JourneyChanged.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            InvalidInput.raise_if_any(validate_journey_form(form, timezone=network.timezone, now=now))
            journey = q.get_journey(session=session, network_id=network_id)
            if (journey.version if journey else 0) != version:
                raise JourneyChanged()
            if journey is None:
                journey = _first_journey(session, network_id, Rhythm(form.rhythm), user_id, now)
            elif not q.still_as_read(session=session, row=journey, fields=("version",)):
                raise JourneyChanged()
            journey.rhythm, journey.planned_by = Rhythm(form.rhythm), user_id
            journey.place = meeting_place(form)
            _touch(session, journey, now)
            rows = q.list_sessions(session=session, journey_id=journey.id or 0)
            future = [(planned, meeting) for planned, meeting in rows if meeting.starts_at > now]
            first = self._add_sessions(
                session, network, journey, form, first_position=len(rows) - len(future)
            )
            _drop_sessions(session, future, agenda_to=first)
            self._changed(session, journey, requester, "journey.planned", language=network.language)

    def _add_sessions(
        self, session: Session, network: Network, journey: Journey, form: JourneyForm, *, first_position: int
    ) -> Meeting:
        """Plan the form's sessions; the first one's meeting."""
        now = self._clock.now()
        count = int(form.count.strip())
        start, end = parse_time_of_day(form.start), parse_time_of_day(form.end)
        assert start is not None and end is not None
        days = session_days(date.fromisoformat(form.first_day.strip()), journey.rhythm, count)
        themes = proposed_themes(session, network.id or 0, count)
        members = rotation(session, network.id or 0)
        meetings = []
        for index, (day, roles) in enumerate(zip(days, rotate_roles(members, count), strict=True)):
            meeting = Meeting(
                network_id=network.id or 0,
                starts_at=local_moment(day, start, network.timezone),
                ends_at=local_moment(day, end, network.timezone),
                topic=themes[index],
                planned_by=journey.planned_by,
                created_at=now,
            )
            q.save(session=session, row=meeting)
            meetings.append(meeting)
            planned = JourneySession(
                journey_id=journey.id or 0,
                meeting_id=meeting.id or 0,
                position=first_position + index,
                theme=themes[index],
            )
            q.save(session=session, row=planned)
            for role, slot, user_id in roles:
                q.save(
                    session=session,
                    row=JourneyRole(
                        session_id=planned.id or 0,
                        role=role,
                        slot=slot,
                        user_id=user_id,
                        state=RoleState.PROPOSED,
                    ),
                )
        return meetings[0]

    def editable(self, *, network_id: int, user_id: str) -> JourneyPlan:
        """The plan with only its sessions still to come (at most EDITABLE_SESSIONS), for the themes modal.

        Raises ChannelNotLinked, NotAMember, NotAFacilitator or NoJourney.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            plan = load_plan(session, network)
            if plan is None:
                raise NoJourney()
            upcoming = [s for s in plan.sessions if s.starts_at > now][:EDITABLE_SESSIONS]
            return replace(plan, sessions=upcoming)

    def edit_sessions(
        self,
        *,
        network_id: int,
        user_id: str,
        version: int,
        edits: list[SessionEdit],
        requester: Requester | None,
    ) -> None:
        """Keep the edited themes and work forms of sessions still to come.

        Raises InvalidInput, ChannelNotLinked, NotAMember, NotAFacilitator, NoJourney or JourneyChanged.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            InvalidInput.raise_if_any(validate_session_edits(edits))
            journey = q.get_journey(session=session, network_id=network_id)
            if journey is None:
                raise NoJourney()
            if journey.version != version or not q.still_as_read(
                session=session, row=journey, fields=("version",)
            ):
                raise JourneyChanged()
            sessions = dict(
                (planned.id, (planned, meeting))
                for planned, meeting in q.list_sessions(session=session, journey_id=journey.id or 0)
            )
            for edit in edits:
                planned, meeting = sessions.get(edit.session_id, (None, None))
                if planned is None or meeting is None or meeting.starts_at <= now:
                    continue
                planned.theme = meeting.topic = edit.theme.strip()
                planned.workform = workform_key(edit.workform)
                q.save(session=session, row=planned)
                q.save(session=session, row=meeting)
            _touch(session, journey, now)
            self._changed(session, journey, requester, "journey.edited", language=network.language)

    def pass_role(self, *, role_id: int, user_id: str, requester: Requester | None) -> None:
        """The holder passes a role on (swap or decline): the next in line is asked.

        Raises RoleNotYours when the clicker does not hold it or its session has begun.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            role, journey, network = self._held_role(session, role_id, user_id, now)
            text_key = _passed_key(hand_on(session, self._outbox, network, role, passed_by=user_id))
            _touch(session, journey, now)
            self._changed(session, journey, requester, text_key, language=network.language)

    def answer_role(
        self,
        *,
        role_id: int,
        user_id: str,
        accept: bool,
        requester: Requester | None,
        question: tuple[str, str] | None = None,
    ) -> None:
        """The member asked to take a role over accepts it, or passes it on in turn; the `question`
        (its channel and ts) then shows the answer in place of its buttons.

        Raises RoleNotYours when they were not asked (any more) or its session has begun.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            role, journey, network = self._held_role(session, role_id, user_id, now)
            if accept and role.state == RoleState.ACCEPTED:
                # Accepted already (a double click): they hold it, as the first answer told them.
                self._outbox.notice(session, requester, "journey.role_accepted", language=network.language)
                return
            if role.state != RoleState.ASKED:
                raise RoleNotYours()
            if accept:
                role.state = RoleState.ACCEPTED
                q.save(session=session, row=role)
                text_key = "journey.role_accepted"
            else:
                text_key = _passed_key(hand_on(session, self._outbox, network, role, passed_by=user_id))
            _touch(session, journey, now)
            self._changed(session, journey, requester, text_key, language=network.language)
            if question is not None:
                self._outbox.record(
                    session,
                    EffectKind.JOURNEY_ROLE_ANSWERED,
                    role_id=role_id,
                    accepted=accept,
                    channel_id=question[0],
                    ts=question[1],
                )

    def asked_role(self, *, role_id: int) -> RoleAsked | None:
        """The role as the member asked to take it over sees it; None once it is gone."""
        with unit_of_work(self._sessions) as session:
            role = q.get_role(session=session, role_id=role_id)
            planned = q.get_session(session=session, session_id=role.session_id) if role else None
            meeting = session.get(Meeting, planned.meeting_id) if planned else None
            network = lookups.network_of(session, meeting)
            if role is None or planned is None or meeting is None or network is None:
                return None
            return RoleAsked(
                role=planned_role(role),
                session=_planned_session(planned, meeting, [role]),
                channel_id=network.channel_id,
                language=network.language,
                timezone=network.timezone,
            )

    def plan_of(self, *, network_id: int) -> JourneyPlan | None:
        """The plan as its message shows it, also an archived network's (see JourneyPlan.archived);
        None when there is none or the network is purged."""
        with unit_of_work(self._sessions) as session:
            network = queries_kickoff.get_network(session=session, network_id=network_id)
            return load_plan(session, network) if network else None

    def record_plan_posted(self, *, journey_id: int, ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            journey = session.get(Journey, journey_id)
            if journey is not None:
                journey.plan_ts = ts
                q.save(session=session, row=journey)

    def _held_role(
        self, session: Session, role_id: int, user_id: str, now: datetime
    ) -> tuple[JourneyRole, Journey, Network]:
        role = q.get_role(session=session, role_id=role_id)
        planned = q.get_session(session=session, session_id=role.session_id) if role else None
        meeting = session.get(Meeting, planned.meeting_id) if planned else None
        journey = session.get(Journey, planned.journey_id) if planned else None
        if role is None or meeting is None or journey is None or role.user_id != user_id:
            raise RoleNotYours()
        if meeting.starts_at <= now:
            raise RoleNotYours()
        network = lookups.member_network(session, journey.network_id, user_id, lock=True)
        if not q.still_as_read(session=session, row=role, fields=("user_id", "state")):
            # A second click at the same moment: it reads the role as the first one left it.
            session.refresh(role)
            if role.user_id != user_id:
                raise RoleNotYours()
        return role, journey, network

    def _changed(
        self, session: Session, journey: Journey, requester: Requester | None, text_key: str, *, language: str
    ) -> None:
        _record_plan_changed(session, self._outbox, journey)
        self._outbox.notice(session, requester, text_key, language=language)


def meeting_place(form: JourneyForm) -> str:
    """Where the group meets: the place and the link both where they fit together, else the link."""
    both = " · ".join(part for part in (form.place.strip(), form.link.strip()) if part)
    return both if len(both) <= PLACE_MAX else form.link.strip()


def rotation(session: Session, network_id: int) -> list[str]:
    """The members who take roles, in the order they take turns: who joined first goes first. Guest
    experts are guests: they hold no role."""
    memberships = queries.list_memberships(session=session, network_id=network_id)
    ordered = sorted(memberships, key=lambda m: (m.joined_at, m.user_id))
    return [m.user_id for m in ordered if m.role != Role.EXPERT]


def proposed_themes(session: Session, network_id: int, count: int) -> list[str]:
    """A theme per session: the learning goals with the most votes, in order, round again if fewer."""
    member_ids = {m.user_id for m in queries.list_memberships(session=session, network_id=network_id)}
    goals = network_goals(session, network_id, voter_ids=member_ids)
    texts = [goal.text for goal in goals]
    return [texts[index % len(texts)] if texts else "" for index in range(count)]


def hand_on(
    session: Session, outbox: Outbox, network: Network, role: JourneyRole, *, passed_by: str
) -> str | None:
    """Give `role` to the next in line and ask them (a private message), or leave it open; who was asked,
    None when everyone else passed it on before."""
    sessions_roles = q.list_roles(session=session, session_ids=[role.session_id])
    busy = [other.user_id for other in sessions_roles if other.id != role.id]
    passed = [*role.declined, passed_by]
    members = rotation(session, network.id or 0)
    successor = next_in_line(members, after=passed_by, passed=passed, busy=busy)
    role.declined_by = ",".join(dict.fromkeys(passed))
    role.user_id = successor or ""
    role.state = RoleState.ASKED if successor else RoleState.OPEN
    q.save(session=session, row=role)
    if successor:
        outbox.record(session, EffectKind.JOURNEY_ROLE_ASKED, role_id=role.id, user_id=successor)
    return successor


def _passed_key(successor: str | None) -> str:
    """What the member who passed a role on is told: who is next is asked, or nobody is left."""
    return "journey.role_passed" if successor else "journey.role_passed_open"


def release_roles(session: Session, outbox: Outbox, network: Network, user_id: str, now: datetime) -> None:
    """A member who left loses their roles in sessions still to come; the next in line is asked."""
    journey = q.get_journey(session=session, network_id=network.id or 0)
    if journey is None:
        return
    upcoming = [
        planned.id or 0
        for planned, meeting in q.list_sessions(session=session, journey_id=journey.id or 0)
        if meeting.starts_at > now
    ]
    held = [role for role in q.list_roles(session=session, session_ids=upcoming) if role.user_id == user_id]
    for role in held:
        hand_on(session, outbox, network, role, passed_by=user_id)
    if held:
        plan_changed(session, outbox, journey, now)


def plan_changed(session: Session, outbox: Outbox, journey: Journey, now: datetime) -> None:
    """A new version of the plan, changed outside a facilitator's own edit: its message and the
    charter read anew."""
    _touch(session, journey, now)
    _record_plan_changed(session, outbox, journey)


def _first_journey(session: Session, network_id: int, rhythm: Rhythm, user_id: str, now: datetime) -> Journey:
    """The network's trajectory, new. Raises JourneyChanged when another facilitator planned the first
    one at the same moment."""
    journey = Journey(
        network_id=network_id, rhythm=rhythm, planned_by=user_id, created_at=now, updated_at=now, version=0
    )
    try:
        with session.begin_nested():
            q.save(session=session, row=journey)
    except IntegrityError:
        raise JourneyChanged() from None
    return journey


def record_roles_renamed(session: Session, outbox: Outbox, network_id: int, now: datetime) -> None:
    """Someone's name left the plan's roles (they were forgotten): a new version of the plan, and its
    message and the charter read anew."""
    journey = q.get_journey(session=session, network_id=network_id)
    if journey is not None:
        plan_changed(session, outbox, journey, now)


def _touch(session: Session, journey: Journey, now: datetime) -> None:
    """A new version of the plan: a facilitator editing an older one is told it changed meanwhile."""
    journey.version += 1
    journey.updated_at = now
    q.save(session=session, row=journey)


def _record_plan_changed(session: Session, outbox: Outbox, journey: Journey) -> None:
    """The plan's message and the charter are to read anew."""
    outbox.record(session, EffectKind.JOURNEY_PLAN, network_id=journey.network_id)
    outbox.charter_changed(session, journey.network_id)


def load_plan(session: Session, network: Network) -> JourneyPlan | None:
    """The network's trajectory with every session, its roles and its picked cases."""
    journey = q.get_journey(session=session, network_id=network.id or 0)
    if journey is None:
        return None
    rows = q.list_sessions(session=session, journey_id=journey.id or 0)
    roles = q.list_roles(session=session, session_ids=[planned.id or 0 for planned, _ in rows])
    picked = [
        item
        for item in q.list_agenda(session=session, meeting_ids=[meeting.id or 0 for _, meeting in rows])
        if item.picked and item.kind == AgendaKind.CASE and item.case_id is not None
    ]
    return JourneyPlan(
        journey_id=journey.id or 0,
        network_id=network.id or 0,
        channel_id=access.original_channel_id(network),
        language=network.language,
        timezone=network.timezone,
        version=journey.version,
        rhythm=Rhythm(journey.rhythm),
        place=journey.place,
        planned_by=journey.planned_by,
        plan_ts=journey.plan_ts,
        sessions=[
            _planned_session(
                planned,
                meeting,
                [role for role in roles if role.session_id == planned.id],
                [item.case_id or 0 for item in picked if item.meeting_id == meeting.id],
            )
            for planned, meeting in rows
        ],
        archived=network.archived_at is not None,
    )


def export_traject(*, session: Session, network: Network) -> list[dict]:
    """The trajectory as CONTRACT.md's export names it."""
    plan = load_plan(session, network)
    if plan is None:
        return []
    return [
        {
            "starts_at": planned.starts_at.isoformat(),
            "ends_at": planned.ends_at.isoformat(),
            "theme": planned.theme,
            "workform": planned.workform,
            "roles": {role.value: planned.holders(role) for role in SessionRole},
            "case_ids": planned.case_ids,
            "meeting_id": planned.meeting_id,
        }
        for planned in plan.sessions
    ]


def _drop_sessions(
    session: Session, sessions: list[tuple[JourneySession, Meeting]], *, agenda_to: Meeting
) -> None:
    """Drop the sessions of the earlier plan that have not begun. What members proposed for them (topics,
    cases put forward, what was picked) goes to `agenda_to`, the new plan's first session: proposals are
    made for the next session, and the next session it still is."""
    meeting_ids = [meeting.id or 0 for _, meeting in sessions]
    on_agenda = {item.case_id for item in q.list_agenda(session=session, meeting_ids=[agenda_to.id or 0])}
    for item in q.list_agenda(session=session, meeting_ids=meeting_ids):
        if item.case_id is None or item.case_id not in on_agenda:
            on_agenda.add(item.case_id)
            item.meeting_id = agenda_to.id or 0
            q.save(session=session, row=item)
    session_ids = [planned.id or 0 for planned, _ in sessions]
    q.delete(session=session, rows=q.list_roles(session=session, session_ids=session_ids))
    q.delete(session=session, rows=[planned for planned, _ in sessions])
    # Left behind: a case that two dropped sessions both had on their agenda.
    q.delete(session=session, rows=q.list_agenda(session=session, meeting_ids=meeting_ids))
    q.delete(session=session, rows=[meeting for _, meeting in sessions])


def planned_role(role: JourneyRole) -> PlannedRole:
    return PlannedRole(
        role_id=role.id or 0,
        role=SessionRole(role.role),
        slot=role.slot,
        user_id=role.user_id,
        state=RoleState(role.state),
    )


def _planned_session(
    planned: JourneySession, meeting: Meeting, roles: list[JourneyRole], case_ids: list[int] | None = None
) -> PlannedSession:
    order = list(SessionRole)
    return PlannedSession(
        session_id=planned.id or 0,
        meeting_id=meeting.id or 0,
        position=planned.position,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        theme=planned.theme,
        workform=planned.workform,
        roles=[planned_role(r) for r in sorted(roles, key=lambda r: (order.index(r.role), r.slot))],
        case_ids=case_ids or [],
    )


def planned_lead(session: Session, network_id: int, now: datetime) -> str | None:
    """The gespreksleider the trajectory names for the session under way or next; None without one."""
    meeting = q.current_or_next_meeting(session=session, network_id=network_id, now=now)
    planned = q.session_of_meeting(session=session, meeting_id=meeting.id or 0) if meeting else None
    if planned is None:
        return None
    roles = q.list_roles(session=session, session_ids=[planned.id or 0])
    return next((r.user_id for r in roles if r.role == SessionRole.LEAD and r.user_id), None)
