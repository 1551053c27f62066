"""Meetings: a facilitator plans one; the day before its agenda goes out, at its end an evaluation.

Like the check-ins, each timed message is claimed in the database (compare-and-set) before it is posted,
and a claim left by a process that died is finished by `stale_claims`. Evaluations are anonymous: kept
under a keyed hash of the meeting and the member (see bot.services.checkin_answers.Respondents).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import EvaluationClosed
from bot.errors import InvalidInput
from bot.errors import MeetingNotFound
from bot.services import access
from bot.services import lookups
from bot.services.agenda import SessionAgenda
from bot.services.agenda import link_cases
from bot.services.agenda import session_agenda
from bot.services.checkin_schedule import parse_time_of_day
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import AnswerKeepingService
from storage import queries_checkins as q
from storage.db import unit_of_work
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Network
from storage.models.checkins import MEETING_CASES_MAX
from storage.models.checkins import TAKEAWAY_MAX
from storage.models.checkins import TOPIC_MAX
from storage.models.checkins import StepState

log = logging.getLogger(__name__)

AGENDA_LEAD = timedelta(days=1)
"""The agenda goes out this long before the meeting starts (at once for a meeting planned later)."""
EVALUATION_OPEN = timedelta(days=7)
"""Members can evaluate a meeting this long after its end."""
CLAIM_TIMEOUT = timedelta(minutes=5)
USEFULNESS_SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True, slots=True)
class MeetingForm:
    """What a facilitator entered in the meeting modal; raw strings until validated."""

    day: str
    """YYYY-MM-DD, as a datepicker sends it."""
    start: str
    end: str
    topic: str
    cases: str
    case_ids: tuple[int, ...] = ()
    """Open cases chosen to discuss: they go on the meeting's agenda, linked."""


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    meeting_id: int
    network_id: int
    channel_id: str
    language: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    topic: str
    cases_text: str
    planned_by: str
    agenda: SessionAgenda | None = None
    """What a trajectory's session or an agenda made together adds (bot.services.agenda)."""

    @property
    def agenda_key(self) -> str:
        return f"meeting/{self.meeting_id}/agenda"

    @property
    def evaluation_key(self) -> str:
        return f"meeting/{self.meeting_id}/evaluation"

    @property
    def planned_key(self) -> str:
        return f"meeting/{self.meeting_id}/planned"


@dataclass(frozen=True, slots=True)
class MeetingStep:
    """A timed message of a meeting, claimed: "agenda" or "evaluation"."""

    step: str
    meeting: MeetingInfo
    recovering: bool = False


@dataclass(frozen=True, slots=True)
class EvaluationDraft:
    meeting_id: int
    language: str
    topic: str
    usefulness: int | None
    takeaway: str
    share_takeaway: bool = False


@dataclass(frozen=True, slots=True)
class EvaluationSummary:
    responses: int
    average_usefulness: float | None
    usefulness: dict[int, int]
    takeaways: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "average_usefulness": self.average_usefulness,
            "usefulness": {str(score): count for score, count in self.usefulness.items()},
            "takeaways": self.takeaways,
        }


def meeting_times(form: MeetingForm, timezone: str) -> tuple[datetime, datetime] | None:
    """The start and end of the meeting in UTC, or None if the date or a time is not valid."""
    try:
        day = date.fromisoformat(form.day.strip())
    except ValueError:
        return None
    start, end = parse_time_of_day(form.start), parse_time_of_day(form.end)
    if start is None or end is None:
        return None
    zone = ZoneInfo(timezone)
    starts_at = datetime.combine(day, time(*start), tzinfo=zone).astimezone(UTC)
    ends_at = datetime.combine(day, time(*end), tzinfo=zone).astimezone(UTC)
    return starts_at, ends_at


def validate_meeting_form(form: MeetingForm, *, timezone: str, now: datetime) -> Problems:
    """The problems with `form`, by field name (day, start, end, topic, cases); empty if none."""
    problems: Problems = {}
    try:
        date.fromisoformat(form.day.strip())
    except ValueError:
        problems["day"] = ("validation.required", {})
    for name in ("start", "end"):
        if parse_time_of_day(getattr(form, name)) is None:
            problems[name] = ("checkins.validation.time", {})
    times = meeting_times(form, timezone) if not problems else None
    if times is not None:
        starts_at, ends_at = times
        if ends_at <= starts_at:
            problems["end"] = ("checkins.validation.end_before_start", {})
        if starts_at <= now:
            problems["day"] = ("checkins.validation.in_the_past", {})
    check_length(problems, "topic", form.topic.strip(), TOPIC_MAX, required=True)
    check_length(problems, "cases", form.cases.strip(), MEETING_CASES_MAX)
    return problems


def validate_evaluation(usefulness: str, takeaway: str) -> Problems:
    problems: Problems = {}
    if usefulness not in {str(score) for score in USEFULNESS_SCALE}:
        problems["usefulness"] = ("validation.choose_one", {})
    check_length(problems, "takeaway", takeaway.strip(), TAKEAWAY_MAX)
    return problems


def summarise(evaluations: list[MeetingEvaluation]) -> EvaluationSummary:
    counts = Counter(e.usefulness for e in evaluations)
    scores = [e.usefulness for e in evaluations]
    return EvaluationSummary(
        responses=len(evaluations),
        average_usefulness=round(sum(scores) / len(scores), 2) if scores else None,
        usefulness={score: counts.get(score, 0) for score in USEFULNESS_SCALE},
        # By text: the order in which they came in must not show.
        takeaways=sorted((e.takeaway for e in evaluations if e.takeaway), key=lambda t: (t.casefold(), t)),
    )


def _still_due(meeting: Meeting, step: str, now: datetime) -> bool:
    """Whether a meeting's `step` means something still: its agenda until it ends, its evaluation while
    members can evaluate it (as when they first fell due)."""
    return meeting.ends_at > (now if step == "agenda" else now - EVALUATION_OPEN)


def _info(meeting: Meeting, network: Network) -> MeetingInfo:
    return MeetingInfo(
        meeting_id=meeting.id or 0,
        network_id=network.id or 0,
        channel_id=network.channel_id,
        language=network.language,
        timezone=network.timezone,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        topic=meeting.topic,
        cases_text=meeting.cases_text,
        planned_by=meeting.planned_by,
    )


class MeetingService(AnswerKeepingService):
    def suggested_day(self, *, timezone: str) -> date:
        """A week from today in the network's time zone: where the meeting modal's date starts."""
        return (self._clock.now().astimezone(ZoneInfo(timezone)) + timedelta(days=7)).date()

    def planning_day(self, *, network_id: int, user_id: str) -> tuple[Network, date]:
        """The network and the day its meeting modal starts at, for a facilitator about to plan one.

        Raises ChannelNotLinked, NotAMember, or NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
        return network, self.suggested_day(timezone=network.timezone)

    def validate(self, form: MeetingForm, *, timezone: str) -> Problems:
        """The form's problems, without touching the database (so a modal can answer them at once)."""
        return validate_meeting_form(form, timezone=timezone, now=self._clock.now())

    def plan(
        self, *, network_id: int, user_id: str, form: MeetingForm, requester: Requester | None = None
    ) -> MeetingInfo:
        """Plan a meeting of the network, and record its announcement in the channel (the outbox).

        Cases to discuss are free text for now: once cases can be chosen, they join the meeting here.
        The same form sent twice (a double click, a retry after Slack stopped waiting) plans it once.
        Raises ChannelNotLinked, NotAMember, NotAFacilitator, or InvalidInput.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            problems = validate_meeting_form(form, timezone=network.timezone, now=now)
            times = meeting_times(form, network.timezone)
            if problems or times is None:
                raise InvalidInput(problems)
            planned = q.same_meeting(
                session=session,
                network_id=network_id,
                starts_at=times[0],
                ends_at=times[1],
                topic=form.topic.strip(),
            )
            if planned is not None:
                return _info(planned, network)
            meeting = q.add_meeting(
                session=session,
                meeting=Meeting(
                    network_id=network_id,
                    starts_at=times[0],
                    ends_at=times[1],
                    topic=form.topic.strip(),
                    cases_text=form.cases.strip(),
                    planned_by=user_id,
                    created_at=now,
                ),
            )
            link_cases(session, meeting, form.case_ids, user_id=user_id, now=now)
            info = _info(meeting, network)
            self._outbox.record(
                session,
                EffectKind.MEETING_PLANNED,
                key=info.planned_key,
                meeting_id=info.meeting_id,
                requester=requester,
                language=info.language,
            )
            return info

    def meeting(self, *, meeting_id: int) -> MeetingInfo | None:
        """The meeting as it stands now; None if it is gone."""
        with unit_of_work(self._sessions) as session:
            meeting = q.get_meeting(session=session, meeting_id=meeting_id)
            network = lookups.network_of(session, meeting)
            return _info(meeting, network) if meeting and network else None

    def posted_agenda(self, *, meeting_id: int) -> tuple[MeetingInfo, str] | None:
        """A meeting still to come whose agenda is in the channel: the meeting with its agenda as it
        stands now, and the agenda message's ts. None when it is gone, archived or begun, or its agenda
        is not posted."""
        with unit_of_work(self._sessions) as session:
            meeting = q.get_meeting(session=session, meeting_id=meeting_id)
            if meeting is None or meeting.agenda_ts is None or meeting.starts_at <= self._clock.now():
                return None
            if access.find_live_network(session, meeting.network_id) is None:
                return None
            return self._load(session, meeting_id), meeting.agenda_ts

    # ------------------------------------------------------------------ timed messages

    def claim_due_steps(self) -> Iterator[MeetingStep]:
        """Claim each agenda and evaluation whose time has come (each once, whatever process asks), one at
        a time as the caller takes them: a claim made long before its post would go stale waiting its turn
        when many fall due together."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            agendas = [
                (meeting.id or 0, "agenda")
                for meeting, _ in q.meetings_due_an_agenda(session=session, now=now, lead=now + AGENDA_LEAD)
            ]
            evaluations = [
                (meeting.id or 0, "evaluation")
                for meeting, _ in q.meetings_due_an_evaluation(
                    session=session, now=now, ended_after=now - EVALUATION_OPEN
                )
            ]
        for meeting_id, step in agendas + evaluations:
            with unit_of_work(self._sessions) as session:
                if not q.claim_meeting_step(
                    session=session,
                    meeting_id=meeting_id,
                    step=step,
                    expected_state=StepState.PENDING,
                    expected_claimed_at=None,
                    now=self._clock.now(),
                ):
                    continue
                claimed = MeetingStep(step=step, meeting=self._load(session, meeting_id))
            yield claimed

    def stale_claims(self) -> list[MeetingStep]:
        """Re-claim the agendas and evaluations a dead process claimed but did not post (or Slack refused),
        while they are still due: not an agenda once its meeting ended, nor an evaluation once it closed."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            stale = []
            for meeting, _ in q.meetings_with_stale_claims(
                session=session, claimed_before=now - CLAIM_TIMEOUT
            ):
                for step in ("agenda", "evaluation"):
                    claimed_at = getattr(meeting, f"{step}_claimed_at")
                    if (
                        getattr(meeting, f"{step}_state") == StepState.CLAIMED
                        and claimed_at < now - CLAIM_TIMEOUT
                        and _still_due(meeting, step, now)
                    ):
                        stale.append((meeting.id or 0, step, claimed_at))
        steps: list[MeetingStep] = []
        for meeting_id, step, claimed_at in stale:
            with unit_of_work(self._sessions) as session:
                if q.claim_meeting_step(
                    session=session,
                    meeting_id=meeting_id,
                    step=step,
                    expected_state=StepState.CLAIMED,
                    expected_claimed_at=claimed_at,
                    now=now,
                ):
                    steps.append(
                        MeetingStep(step=step, meeting=self._load(session, meeting_id), recovering=True)
                    )
        return steps

    def record_posted(self, *, meeting_id: int, step: str, ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            meeting = q.get_meeting(session=session, meeting_id=meeting_id)
            if meeting is None:
                return
            setattr(meeting, f"{step}_state", StepState.POSTED)
            setattr(meeting, f"{step}_ts", ts)
            session.add(meeting)

    def _load(self, session: Session, meeting_id: int) -> MeetingInfo:
        meeting = q.get_meeting(session=session, meeting_id=meeting_id)
        assert meeting is not None
        session.refresh(meeting)
        network = session.get(Network, meeting.network_id)
        assert network is not None
        return replace(_info(meeting, network), agenda=session_agenda(session, meeting))

    # ------------------------------------------------------------------ evaluations

    def evaluation_draft(self, *, meeting_id: int, user_id: str) -> EvaluationDraft:
        """The member's earlier evaluation of the meeting (to edit), or an empty one.

        Raises MeetingNotFound, EvaluationClosed (before the end or a week after), ChannelNotLinked (an
        archived network), or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            meeting, network = self._evaluable(session, meeting_id, user_id)
            existing = q.get_evaluation(
                session=session,
                meeting_id=meeting_id,
                respondent=self._respondents.of_meeting(meeting_id, user_id),
            )
            return EvaluationDraft(
                meeting_id=meeting_id,
                language=network.language,
                topic=meeting.topic,
                usefulness=existing.usefulness if existing else None,
                takeaway=existing.takeaway if existing else "",
                share_takeaway=existing.share_takeaway if existing else False,
            )

    def save_evaluation(
        self,
        *,
        meeting_id: int,
        user_id: str,
        usefulness: str,
        takeaway: str,
        requester: Requester | None = None,
        share_takeaway: bool = False,
    ) -> str:
        """Keep the member's evaluation (replacing an earlier one), and thank `requester` once it is kept;
        returns the network's language.

        Raises InvalidInput, MeetingNotFound, EvaluationClosed, ChannelNotLinked (an archived network), or
        NotAMember.
        """
        InvalidInput.raise_if_any(validate_evaluation(usefulness, takeaway))
        try:
            with unit_of_work(self._sessions) as session:
                _, network = self._evaluable(session, meeting_id, user_id)
                respondent = self._respondents.of_meeting(meeting_id, user_id)
                evaluation = q.get_evaluation(
                    session=session, meeting_id=meeting_id, respondent=respondent
                ) or MeetingEvaluation(meeting_id=meeting_id, respondent=respondent, usefulness=0)
                evaluation.usefulness = int(usefulness)
                was_shared = evaluation.share_takeaway
                evaluation.takeaway = takeaway.strip()
                evaluation.share_takeaway = share_takeaway
                q.save_evaluation(session=session, evaluation=evaluation)
                if share_takeaway or was_shared:
                    # A shared take-away is among the lessons, of which the charter shows the latest.
                    self._outbox.charter_changed(session, network.id or 0)
                self._outbox.notice(
                    session, requester, "checkins.evaluation.thanks", language=network.language
                )
                return network.language
        except IntegrityError:
            # Submitted twice at once: the other submission is kept.
            return "nl"

    def _evaluable(self, session: Session, meeting_id: int, user_id: str) -> tuple[Meeting, Network]:
        meeting = q.get_meeting(session=session, meeting_id=meeting_id)
        network = lookups.network_of(session, meeting)
        if meeting is None or network is None:
            raise MeetingNotFound()
        now = self._clock.now()
        if now < meeting.ends_at - timedelta(minutes=15) or now > meeting.ends_at + EVALUATION_OPEN:
            raise EvaluationClosed()
        lookups.member_network(session, network.id or 0, user_id)
        return meeting, network

    def meeting_language(self, *, meeting_id: int) -> str | None:
        with unit_of_work(self._sessions) as session:
            meeting = q.get_meeting(session=session, meeting_id=meeting_id)
            network = lookups.network_of(session, meeting)
            return network.language if network else None

    # ------------------------------------------------------------------ export

    def export_sessions(self, *, network_id: int) -> list[dict[str, Any]]:
        with unit_of_work(self._sessions) as session:
            return export_sessions(session=session, network_id=network_id)


def export_sessions(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The network's meetings with their evaluations (totals and takeaways, never who gave them)."""
    meetings = q.list_meetings(session=session, network_id=network_id)
    evaluations = q.list_evaluations(session=session, meeting_ids=[m.id or 0 for m in meetings])
    return [
        {
            "id": meeting.id,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "topic": meeting.topic,
            "cases": meeting.cases_text,
            "agenda_posted": meeting.agenda_state == StepState.POSTED,
            "evaluation": summarise([e for e in evaluations if e.meeting_id == meeting.id]).as_dict(),
        }
        for meeting in meetings
    ]
