"""The facilitator's summary: how the network is doing, in one read, and its digest on a schedule.

`SummaryService.build` reads the whole picture in a fixed number of queries, whatever the size of the
network's history: the database counts and averages (see storage.queries_summary), and only bounded
lists (the top goals, the latest lessons, the latest polls and meetings) come back as rows.

What the summary holds is meant for the channel, with one exception: `quiet_member_ids`, the members
who have not given advice nor brought a case yet, which only facilitators may see, privately.
A confidential case appears by its title alone, and is counted apart.
"""

from __future__ import annotations

import dataclasses
import statistics
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.services import access
from bot.services import lookups
from bot.services.agreements import accepted_among
from bot.services.checkin_common import SCALE
from bot.services.checkin_schedule import ScheduleRule
from bot.services.checkin_schedule import first_run_date
from bot.services.due_runs import CATCH_UP_GRACE
from bot.services.due_runs import DueRun
from bot.services.due_runs import RecurringRuns
from bot.services.expectations import GoalLine
from bot.services.expectations import network_goals
from bot.services.follow_ups import FollowUpTally
from bot.services.follow_ups import tally_follow_ups
from bot.services.lessons import LessonLine
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.pauses import Pause
from bot.services.pauses import upcoming_in
from bot.services.service import Service
from bot.services.thermometer import RoundResults
from bot.services.thermometer import round_history
from storage import queries
from storage import queries_cases
from storage import queries_kickoff
from storage import queries_summary as q
from storage import queries_wrap_up
from storage.db import unit_of_work
from storage.models import DigestFrequency
from storage.models import DigestRun
from storage.models import DigestSchedule
from storage.models import Network
from storage.models import Role
from storage.models.base import AnswerPeriodStatus
from storage.models.checkins import Frequency

DIGEST_CLAIM_TIMEOUT = timedelta(minutes=5)
"""A digest claimed this long ago and not posted died with its process: each is claimed just before it is
posted, one at a time, so a live one is never this slow."""

GUIDELINE_MIN = 10
GUIDELINE_MAX = 15
"""A learning network works best with 10 to 15 members."""
TOP_GOALS = 5
LESSONS = 5
CONFIDENTIAL_TITLES = 5
WAITING_TITLES = 3
TREND_POLLS = 24
"""The polls the trend (and its chart) covers: about a year of fortnightly check-ins."""
TREND_MEETINGS = 24
TAKEAWAYS = 3
THERMOMETER_ROUNDS = 8
"""The thermometer rounds the summary and its chart cover: two years of quarterly rounds."""
WAITING_FOR_ADVICE = timedelta(days=7)
FALLING_BY = 0.3
"""A check-in whose average score is this much below the one before counts as falling."""
DIGEST_WEEKDAY = 0
DIGEST_HOUR = 9
DIGEST_MINUTE = 0
"""The monthly digest comes on the first Monday of the month at 9:00, in the network's time zone."""
DEFAULT_DIGEST = DigestFrequency.MONTHLY


class Attention(StrEnum):
    """What deserves attention next; each has a text `summary.attention.<value>` taking `count`."""

    CASES_WAITING = "cases_waiting"
    CHECKIN_FALLING = "checkin_falling"
    NOT_INTRODUCED = "not_introduced"
    AGREEMENTS_PENDING = "agreements_pending"
    NO_AGREEMENTS = "no_agreements"
    TOO_FEW_MEMBERS = "too_few_members"
    TOO_MANY_MEMBERS = "too_many_members"
    THERMOMETER_LOW = "thermometer_low"
    """Aspects of the latest thermometer round that score low or fell: `count` of them."""
    PUBLIC_CHANNEL = "public_channel"
    """The channel is public: anyone in the workspace can join and read it (added where it is posted)."""


@dataclass(frozen=True, slots=True)
class AttentionPoint:
    kind: Attention
    count: int


@dataclass(frozen=True, slots=True)
class CaseCounts:
    open_without_advice: int
    open_with_advice: int
    """Open cases the group is discussing: they have advice."""
    closed: int
    confidential: int
    """Confidential cases are counted here only, whatever their status."""
    waiting_long: int

    @property
    def total(self) -> int:
        return self.open_without_advice + self.open_with_advice + self.closed + self.confidential


@dataclass(frozen=True, slots=True)
class Contribution:
    """Give and receive across the group, as totals and spread: no names."""

    advice_total: int
    cases_total: int
    members: int
    contributors: int
    """Active members who gave advice or brought a case."""
    advice_median: float
    advice_max: int


@dataclass(frozen=True, slots=True)
class TrendPoint:
    poll_id: int
    run_date: date
    respondents: int
    score: float | None
    """The average answer to "Zijn we goed bezig?", 5 (best) to 1; None without answers."""
    answers: dict[str, int]
    """Respondents per scale emoji."""


@dataclass(frozen=True, slots=True)
class MeetingPoint:
    meeting_id: int
    topic: str
    starts_at: datetime
    responses: int
    average_usefulness: float | None


@dataclass(frozen=True, slots=True)
class LastMeeting:
    point: MeetingPoint
    takeaways: list[str]


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    network_id: int
    channel_id: str
    name: str
    goal: str
    language: str
    timezone: str
    generated_at: datetime
    member_count: int
    facilitator_ids: list[str]
    introduced: int
    agreements_accepted: int | None
    """Members who accepted the current agreements; None while there are none."""
    top_goals: list[GoalLine]
    cases: CaseCounts
    lessons: list[LessonLine]
    waiting_titles: list[str]
    confidential_titles: list[str]
    contribution: Contribution
    trend: list[TrendPoint]
    meetings: list[MeetingPoint]
    last_meeting: LastMeeting | None
    attention: list[AttentionPoint] = field(default_factory=list)
    quiet_member_ids: list[str] = field(default_factory=list)
    """Members who neither gave advice nor brought a case: for facilitators' eyes only."""
    thermometer: list[RoundResults] = field(default_factory=list)
    """The closed thermometer rounds that showed their averages, oldest first (the latest few)."""
    pauses: list[Pause] = field(default_factory=list)
    """The pauses to come: the recurring posts that fall in them are skipped."""
    guideline_min: int = GUIDELINE_MIN
    guideline_max: int = GUIDELINE_MAX
    follow_ups: FollowUpTally | None = None
    """How many closed cases came back from practice, with what outcome."""
    wrap_up_closes_at: datetime | None = None
    """While the closing ritual runs: when it closes (with the harvest, and the archive)."""

    @property
    def has_chart(self) -> bool:
        """There is something to draw: check-ins, meetings or thermometer rounds."""
        return bool(self.trend or self.meetings or self.thermometer)

    @property
    def is_new(self) -> bool:
        """Nothing has happened yet beyond starting the network."""
        return (
            self.introduced == 0
            and self.cases.total == 0
            and not self.trend
            and not self.meetings
            and not self.top_goals
        )


@dataclass(frozen=True, slots=True)
class DigestOverview:
    network_id: int
    frequency: DigestFrequency
    next_run_at: datetime | None
    timezone: str


@dataclass(frozen=True, slots=True)
class MembersDigest:
    """The digest as a member asks for it: a facilitator may change it, others only see it."""

    overview: DigestOverview
    may_change: bool


@dataclass(frozen=True, slots=True)
class DigestClaim:
    """A scheduled digest claimed for posting: post it under `key`, then record its ts."""

    run_id: int
    network_id: int
    key: str
    message_ts: str | None = None


def score_of(answers: dict[str, int]) -> float | None:
    """The average answer on a 5 (first emoji of the scale) to 1 (last) score."""
    respondents = sum(answers.values())
    if not respondents:
        return None
    total = sum((len(SCALE) - SCALE.index(emoji)) * count for emoji, count in answers.items())
    return round(total / respondents, 2)


def digest_key(network_id: int, run_date: date) -> str:
    return f"summary/{network_id}/{run_date.isoformat()}"


def digest_rule(network: Network, schedule: DigestSchedule | None) -> ScheduleRule:
    frequency = schedule.frequency if schedule else DEFAULT_DIGEST
    anchor = schedule.anchor if schedule else _anchor_after(network.created_at, network.timezone)
    return ScheduleRule(
        frequency=Frequency.MONTHLY if frequency == DigestFrequency.MONTHLY else Frequency.OFF,
        weekday=DIGEST_WEEKDAY,
        hour=DIGEST_HOUR,
        minute=DIGEST_MINUTE,
        timezone=network.timezone,
        anchor=anchor,
    )


def _due_digest(
    network: Network, schedule: DigestSchedule | None, now: datetime
) -> tuple[date, datetime] | None:
    return digest_rule(network, schedule).due_run(now, grace=CATCH_UP_GRACE)


def _add_digest_run(session: Session, due: DueRun[DigestSchedule]) -> DigestClaim:
    run = q.add_digest_run(
        session=session,
        run=DigestRun(
            network_id=due.network_id, key=due.key, run_date=due.run_date, claimed_at=due.claimed_at
        ),
    )
    return DigestClaim(run_id=run.id or 0, network_id=due.network_id, key=due.key)


DIGESTS = RecurringRuns(
    name="digest",
    schedules=q.live_networks_with_digest_schedules,
    schedule_of=q.get_digest_schedule,
    due=_due_digest,
    key=digest_key,
    claimed_keys=q.existing_digest_keys,
)


def _anchor_after(moment: datetime, timezone: str) -> date:
    return first_run_date(
        frequency=Frequency.WEEKLY,
        weekday=DIGEST_WEEKDAY,
        hour=DIGEST_HOUR,
        minute=DIGEST_MINUTE,
        timezone=timezone,
        after=moment,
    )


class SummaryService(Service):
    def request_post(self, *, team_id: str, channel_id: str, user_id: str) -> None:
        """Record that the summary of the channel's network is posted there, built when it is posted;
        any member may ask. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network = lookups.linked_member_network(
                session, team_id=team_id, channel_id=channel_id, user_id=user_id
            )
            self._outbox.record(session, EffectKind.SUMMARY_POST, network_id=network.id)

    def build(self, *, network_id: int, now: datetime | None = None) -> NetworkSummary:
        """The network's summary as it stands at `now` (default: the clock's now).

        Raises ChannelNotLinked when the network does not exist or is archived.
        """
        now = now or self._clock.now()
        waiting_since = now - WAITING_FOR_ADVICE
        with unit_of_work(self._sessions) as session:
            network = access.live_network(session, network_id)
            memberships = queries.list_memberships(session=session, network_id=network_id)
            member_ids = {m.user_id for m in memberships}
            introduced = q.introduced_user_ids(session=session, network_id=network_id) & member_ids
            agreements = queries_kickoff.current_agreement_version(session=session, network_id=network_id)
            accepted = accepted_among(session, agreements, member_ids)
            goals = network_goals(session, network_id, voter_ids=member_ids)
            counts, lessons, waiting, confidential = _case_lines(session, network_id, waiting_since)
            contribution, quiet = _contribution(session, network_id, [m.user_id for m in memberships])
            polls = q.latest_polls(session=session, network_id=network_id, limit=TREND_POLLS)
            answers = q.poll_answers(session=session, network_id=network_id, poll_limit=TREND_POLLS)
            meetings, last_meeting = _meetings(session, network_id, before=now)
            follow_ups = tally_follow_ups(session=session, network_id=network_id)
            thermometer = [r for r in round_history(session, network_id) if r.shows_answers]
            pauses = upcoming_in(session, network, now)
            wrap_up = queries_wrap_up.wrap_up_of_network(session=session, network_id=network_id)
        summary = NetworkSummary(
            network_id=network_id,
            channel_id=network.channel_id,
            name=network.name,
            goal=network.goal,
            language=network.language,
            timezone=network.timezone,
            generated_at=now,
            member_count=len(memberships),
            facilitator_ids=queries.user_ids_with_role(memberships, Role.FACILITATOR),
            introduced=len(introduced),
            agreements_accepted=len(accepted) if agreements is not None else None,
            top_goals=[GoalLine(text=g.text, votes=g.votes) for g in goals[:TOP_GOALS]],
            cases=CaseCounts(**dataclasses.asdict(counts)),
            lessons=[LessonLine(case_title=title, lesson=lesson) for title, lesson in lessons],
            waiting_titles=waiting,
            confidential_titles=confidential,
            contribution=contribution,
            trend=_trend(polls, answers),
            meetings=meetings,
            last_meeting=last_meeting,
            quiet_member_ids=quiet,
            follow_ups=follow_ups,
            thermometer=thermometer[-THERMOMETER_ROUNDS:],
            wrap_up_closes_at=(
                wrap_up.closes_at if wrap_up and wrap_up.status == AnswerPeriodStatus.OPEN else None
            ),
            pauses=pauses,
        )
        return _with_attention(summary)

    # ------------------------------------------------------------------ the digest's schedule

    def digest_overview(self, *, network_id: int) -> DigestOverview:
        with unit_of_work(self._sessions) as session:
            network = access.live_network(session, network_id)
            schedule = q.get_digest_schedule(session=session, network_id=network_id)
        return self._overview(network, schedule)

    def digest_for(self, *, network_id: int, user_id: str) -> MembersDigest:
        """The digest, for one of the network's members. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network, membership = lookups.network_and_membership(session, network_id, user_id)
            schedule = q.get_digest_schedule(session=session, network_id=network_id)
        return MembersDigest(
            overview=self._overview(network, schedule), may_change=membership.role == Role.FACILITATOR
        )

    def _overview(self, network: Network, schedule: DigestSchedule | None) -> DigestOverview:
        rule = digest_rule(network, schedule)
        return DigestOverview(
            network_id=network.id or 0,
            frequency=schedule.frequency if schedule else DEFAULT_DIGEST,
            next_run_at=rule.next_run_at_or_after(self._clock.now()),
            timezone=network.timezone,
        )

    def change_digest(
        self, *, network_id: int, user_id: str, frequency: str, requester: Requester | None = None
    ) -> DigestOverview:
        """Set how often the summary is posted by itself (monthly or off); the requester is told.

        Raises InvalidInput for a frequency that is not one of DigestFrequency, NotAMember or
        NotAFacilitator unless the user facilitates the network, ChannelNotLinked when it is archived.
        """
        if frequency not in {f.value for f in DigestFrequency}:
            raise InvalidInput({"frequency": ("summary.digest.choose", {})})
        chosen = DigestFrequency(frequency)
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            schedule = q.get_digest_schedule(session=session, network_id=network_id) or DigestSchedule(
                network_id=network_id, frequency=chosen, anchor=now.date(), updated_by=user_id, updated_at=now
            )
            schedule.frequency = chosen
            # Nothing is posted for a run whose time passed before the change.
            schedule.anchor = _anchor_after(now, network.timezone)
            schedule.updated_by = user_id
            schedule.updated_at = now
            q.save_digest_schedule(session=session, schedule=schedule)
            if requester is not None:
                self._outbox.record(
                    session,
                    EffectKind.SUMMARY_DIGEST_SAVED,
                    network_id=network_id,
                    requester=requester,
                    language=network.language,
                )
            return self._overview(network, schedule)

    # ------------------------------------------------------------------ claiming digests

    def due_digests(self) -> list[int]:
        """The networks whose latest digest run is due (within the grace period) and not yet claimed."""
        return DIGESTS.due_networks(self._sessions, self._clock.now())

    def claim_digest(self, *, network_id: int) -> DigestClaim | None:
        """Claim the network's latest digest run if it is due and nobody claimed it; None otherwise.

        The claim is the run's unique key: two processes, or the job run twice, claim it once.
        """
        return DIGESTS.claim(self._sessions, network_id, self._clock.now(), _add_digest_run)

    def stale_digests(self) -> list[DigestClaim]:
        """Digests claimed by a process that did not finish posting them in time, re-claimed now."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            stale = q.stale_digest_runs(
                session=session, claimed_before=now - DIGEST_CLAIM_TIMEOUT, claimed_after=now - CATCH_UP_GRACE
            )
            for run in stale:
                run.claimed_at = now
            session.flush()
            return [DigestClaim(run_id=r.id or 0, network_id=r.network_id, key=r.key) for r in stale]

    def digest_channel(self, *, run_id: int) -> str:
        """The channel a claimed digest goes to."""
        with unit_of_work(self._sessions) as session:
            run = q.get_digest_run(session=session, run_id=run_id)
            network = lookups.network_of(session, run)
            return network.channel_id if network is not None else ""

    def record_digest_posted(self, *, run_id: int, message_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            run = q.get_digest_run(session=session, run_id=run_id)
            if run is not None:
                run.message_ts = message_ts
                run.posted_at = self._clock.now()


def _case_lines(
    session: Session, network_id: int, waiting_since: datetime
) -> tuple[q.CaseCountRow, list[tuple[str, str]], list[str], list[str]]:
    """The cases' counts, the latest lessons, the titles waiting long for advice and the confidential ones."""
    return (
        q.case_counts(session=session, network_id=network_id, waiting_since=waiting_since),
        q.recent_lessons(session=session, network_id=network_id, limit=LESSONS),
        q.cases_waiting_long(
            session=session, network_id=network_id, waiting_since=waiting_since, limit=WAITING_TITLES
        ),
        q.confidential_titles(session=session, network_id=network_id, limit=CONFIDENTIAL_TITLES),
    )


def _contribution(session: Session, network_id: int, member_ids: list[str]) -> tuple[Contribution, list[str]]:
    """Give and receive across the members (in their order), and the quiet ones among them."""
    given = queries_cases.advice_given_by_member(session=session, network_id=network_id)
    brought = queries_cases.cases_brought_by_member(session=session, network_id=network_id)
    advice_per_member = [given.get(user_id, 0) for user_id in member_ids]
    quiet = [u for u in member_ids if not given.get(u) and not brought.get(u)]
    contribution = Contribution(
        advice_total=sum(given.values()),
        cases_total=sum(brought.values()),
        members=len(member_ids),
        contributors=len(member_ids) - len(quiet),
        advice_median=statistics.median(advice_per_member) if advice_per_member else 0,
        advice_max=max(advice_per_member, default=0),
    )
    return contribution, quiet


def _meetings(
    session: Session, network_id: int, *, before: datetime
) -> tuple[list[MeetingPoint], LastMeeting | None]:
    """The latest meetings that ended before `before`, oldest first, and the last one with its takeaways."""
    meetings = [
        MeetingPoint(
            meeting_id=meeting_id,
            topic=topic,
            starts_at=starts_at,
            responses=responses,
            average_usefulness=round(average, 2) if average is not None else None,
        )
        for meeting_id, topic, starts_at, responses, average in q.meeting_evaluations(
            session=session, network_id=network_id, before=before, limit=TREND_MEETINGS
        )
    ]
    if not meetings:
        return meetings, None
    takeaways = q.meeting_takeaways(session=session, meeting_id=meetings[-1].meeting_id, limit=TAKEAWAYS)
    return meetings, LastMeeting(point=meetings[-1], takeaways=takeaways)


def _trend(polls: list[tuple[int, date]], answers: list[tuple[int, str, int]]) -> list[TrendPoint]:
    by_poll: dict[int, dict[str, int]] = {poll_id: dict.fromkeys(SCALE, 0) for poll_id, _ in polls}
    for poll_id, emoji, count in answers:
        if poll_id in by_poll and emoji in SCALE:
            by_poll[poll_id][emoji] += count
    return [
        TrendPoint(
            poll_id=poll_id,
            run_date=run_date,
            respondents=sum(by_poll[poll_id].values()),
            score=score_of(by_poll[poll_id]),
            answers=by_poll[poll_id],
        )
        for poll_id, run_date in polls
    ]


def _with_attention(summary: NetworkSummary) -> NetworkSummary:
    points: list[AttentionPoint] = []
    if summary.cases.waiting_long:
        points.append(AttentionPoint(Attention.CASES_WAITING, summary.cases.waiting_long))
    scored = [p.score for p in summary.trend if p.score is not None]
    if len(scored) >= 2 and scored[-1] <= scored[-2] - FALLING_BY:
        points.append(AttentionPoint(Attention.CHECKIN_FALLING, 1))
    if summary.thermometer and (aspects := summary.thermometer[-1].needs_attention()):
        points.append(AttentionPoint(Attention.THERMOMETER_LOW, len(aspects)))
    if summary.introduced < summary.member_count:
        points.append(AttentionPoint(Attention.NOT_INTRODUCED, summary.member_count - summary.introduced))
    if summary.agreements_accepted is None:
        points.append(AttentionPoint(Attention.NO_AGREEMENTS, 1))
    elif summary.agreements_accepted < summary.member_count:
        points.append(
            AttentionPoint(Attention.AGREEMENTS_PENDING, summary.member_count - summary.agreements_accepted)
        )
    if summary.member_count < GUIDELINE_MIN:
        points.append(AttentionPoint(Attention.TOO_FEW_MEMBERS, summary.member_count))
    elif summary.member_count > GUIDELINE_MAX:
        points.append(AttentionPoint(Attention.TOO_MANY_MEMBERS, summary.member_count))
    return dataclasses.replace(summary, attention=points)
