"""When a network's check-in poll runs: a rule over local dates, exact across daylight-saving changes.

A run belongs to a *local date* in the network's time zone; the UTC instant follows from it:
- a time that does not exist that day (inside the spring gap) runs as late as the gap is long
  (02:30 in Brussels on the last Sunday of March runs at 03:30 CEST), as the clocks read after the change;
- a time that happens twice (inside the autumn fold) runs once, at its first occurrence.
So a rule gives exactly one instant per run date, and the local date is what makes a run unique.

`CheckinScheduleService` shows and changes a network's schedule (a stored one, or the default) and gives
the scheduler every active rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import ChannelNotLinked
from bot.errors import InvalidInput
from bot.errors import ThresholdOnlyUp
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import Problems
from bot.services.outbox import EffectKind
from bot.services.pauses import Pause
from bot.services.pauses import upcoming_in
from bot.services.service import Service
from storage import queries_checkins as q
from storage.db import unit_of_work
from storage.models import CheckinSchedule
from storage.models import Network
from storage.models.checkins import Frequency
from storage.models.network import Role

DEFAULT_FREQUENCY = Frequency.BIWEEKLY
DEFAULT_WEEKDAY = 0
DEFAULT_HOUR = 10
DEFAULT_MINUTE = 0
DEFAULT_OPEN_DAYS = 3
OPEN_DAYS_CHOICES = (1, 2, 3, 4, 5, 6, 7)
DEFAULT_ANONYMITY_THRESHOLD = 3
ANONYMITY_THRESHOLD_MAX = 15

# Far enough to find the next run of any rule (a monthly one is at most 5 weeks away).
_SEARCH_DAYS = 7 * 6


class Irregularity(StrEnum):
    GAP = "gap"
    """The time does not exist that day; the run comes as much later as the clocks jumped."""
    FOLD = "fold"
    """The time happens twice that day; the run comes at the first."""


@dataclass(frozen=True, slots=True)
class IrregularRun:
    run_date: date
    kind: Irregularity
    runs_at: datetime
    """The UTC instant of the run."""


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    frequency: Frequency
    weekday: int
    """0 is Monday."""
    hour: int
    minute: int
    timezone: str
    anchor: date
    """No run before this local date; biweekly runs fall a multiple of 14 days after it."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def active(self) -> bool:
        return self.frequency != Frequency.OFF

    def runs_on(self, day: date) -> bool:
        """Whether a run falls on this local date."""
        if not self.active or day < self.anchor or day.weekday() != self.weekday:
            return False
        if self.frequency == Frequency.BIWEEKLY:
            return (day - self.anchor).days % 14 == 0
        if self.frequency == Frequency.MONTHLY:
            return day.day <= 7
        return True

    def instant_on(self, day: date) -> datetime:
        """The UTC instant of the run on `day` (see the module docstring for gaps and folds)."""
        # fold=0: in a gap Python reads the time with the offset before the change (so it lands after
        # the gap); in a fold it picks the first of the two.
        local = datetime.combine(day, time(self.hour, self.minute), tzinfo=self.zone)
        return local.astimezone(UTC)

    def irregularity_on(self, day: date) -> Irregularity | None:
        local = datetime.combine(day, time(self.hour, self.minute), tzinfo=self.zone)
        round_trip = local.astimezone(UTC).astimezone(self.zone)
        if (round_trip.hour, round_trip.minute) != (self.hour, self.minute):
            return Irregularity.GAP
        if local.utcoffset() != local.replace(fold=1).utcoffset():
            return Irregularity.FOLD
        return None

    def local_date_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def next_run_at_or_after(self, moment: datetime) -> datetime | None:
        """The first run at or after `moment` (UTC), or None for a rule that never runs."""
        if not self.active:
            return None
        day = max(self.local_date_of(moment) - timedelta(days=1), self.anchor)
        for offset in range(_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.runs_on(candidate):
                instant = self.instant_on(candidate)
                if instant >= moment:
                    return instant
        return None

    def latest_run_at_or_before(self, moment: datetime) -> tuple[date, datetime] | None:
        """The last run (its local date and UTC instant) at or before `moment`, or None."""
        if not self.active:
            return None
        day = self.local_date_of(moment) + timedelta(days=1)
        for offset in range(_SEARCH_DAYS + 1):
            candidate = day - timedelta(days=offset)
            if candidate < self.anchor:
                return None
            if self.runs_on(candidate):
                instant = self.instant_on(candidate)
                if instant <= moment:
                    return candidate, instant
        return None

    def due_run(self, now: datetime, *, grace: timedelta) -> tuple[date, datetime] | None:
        """The latest run if its time came at most `grace` before `now`, else None: a run missed for
        longer (the bot was down) is skipped, not made up late."""
        latest = self.latest_run_at_or_before(now)
        if latest is None or now - latest[1] > grace:
            return None
        return latest

    def irregular_runs(self, start: datetime, *, days: int = 366) -> list[IrregularRun]:
        """The runs in the `days` after `start` whose time falls in a gap or a fold."""
        found: list[IrregularRun] = []
        first = max(self.local_date_of(start), self.anchor)
        for offset in range(days):
            day = first + timedelta(days=offset)
            if not self.runs_on(day):
                continue
            kind = self.irregularity_on(day)
            if kind is not None:
                found.append(IrregularRun(run_date=day, kind=kind, runs_at=self.instant_on(day)))
        return found


def first_run_date(
    *, frequency: Frequency, weekday: int, hour: int, minute: int, timezone: str, after: datetime
) -> date:
    """The local date of the first run strictly after `after`: the anchor of a schedule set then.

    A schedule set (or a network started) at 10:05 on a Monday with runs at 10:00 starts next week;
    nothing is run for a time that passed before the schedule existed.
    """
    zone = ZoneInfo(timezone)
    day = after.astimezone(zone).date()
    probe = ScheduleRule(
        frequency=Frequency.WEEKLY if frequency == Frequency.BIWEEKLY else frequency,
        weekday=weekday,
        hour=hour,
        minute=minute,
        timezone=timezone,
        anchor=day,
    )
    if not probe.active:
        return day
    following = probe.next_run_at_or_after(after + timedelta(microseconds=1))
    return probe.local_date_of(following) if following is not None else day


# ---------------------------------------------------------------------- a network's schedule


@dataclass(frozen=True, slots=True)
class ScheduleOverview:
    network_id: int
    rule: ScheduleRule
    open_days: int
    reminders: bool
    anonymity_threshold: int
    is_default: bool
    next_run: datetime | None
    irregular: list[IrregularRun] = field(default_factory=list)
    """Coming runs whose time falls in a daylight-saving gap or fold, to tell the facilitator."""
    pauses: list[Pause] = field(default_factory=list)
    """The network's pauses to come: the runs that fall in them are skipped."""

    @property
    def timezone(self) -> str:
        return self.rule.timezone


@dataclass(frozen=True, slots=True)
class MembersSchedule:
    """The schedule as a member asks for it: a facilitator may change it, others only see it."""

    overview: ScheduleOverview
    network: Network
    may_change: bool


@dataclass(frozen=True, slots=True)
class ScheduleAnnouncement:
    """A network's schedule, to show in its channel after a change."""

    overview: ScheduleOverview
    channel_id: str
    language: str


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    """What a facilitator chose in the schedule modal; raw strings until validated."""

    frequency: str
    weekday: str
    time: str
    open_days: str
    reminders: str
    anonymity_threshold: str


def default_anchor(network: Network) -> date:
    return first_run_date(
        frequency=DEFAULT_FREQUENCY,
        weekday=DEFAULT_WEEKDAY,
        hour=DEFAULT_HOUR,
        minute=DEFAULT_MINUTE,
        timezone=network.timezone,
        after=network.created_at,
    )


def rule_of(network: Network, schedule: CheckinSchedule | None) -> ScheduleRule:
    """The network's schedule; without a stored one, the default (every two weeks, Monday 10:00)."""
    if schedule is None:
        return ScheduleRule(
            frequency=DEFAULT_FREQUENCY,
            weekday=DEFAULT_WEEKDAY,
            hour=DEFAULT_HOUR,
            minute=DEFAULT_MINUTE,
            timezone=network.timezone,
            anchor=default_anchor(network),
        )
    return ScheduleRule(
        frequency=Frequency(schedule.frequency),
        weekday=schedule.weekday,
        hour=schedule.hour,
        minute=schedule.minute,
        timezone=network.timezone,
        anchor=schedule.anchor,
    )


def parse_time_of_day(raw: str) -> tuple[int, int] | None:
    """ "HH:MM" (a timepicker's value) as hour and minute, or None when it is not a time."""
    parts = raw.strip().split(":")
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() and len(part) == 2 for part in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def validate_schedule_form(form: ScheduleForm, *, current_threshold: int) -> Problems:
    """The problems with `form`, by field name, each as a catalog key with its values; empty if none."""
    problems: Problems = {}
    if form.frequency not in set(Frequency):
        problems["frequency"] = ("validation.choose_one", {})
    if form.weekday not in {str(day) for day in range(7)}:
        problems["weekday"] = ("validation.choose_one", {})
    if parse_time_of_day(form.time) is None:
        problems["time"] = ("checkins.validation.time", {})
    if form.open_days not in {str(days) for days in OPEN_DAYS_CHOICES}:
        problems["open_days"] = ("validation.choose_one", {})
    if form.reminders not in ("on", "off"):
        problems["reminders"] = ("validation.choose_one", {})
    threshold = int(form.anonymity_threshold) if form.anonymity_threshold.isdecimal() else None
    if threshold is None or threshold > ANONYMITY_THRESHOLD_MAX:
        problems["anonymity_threshold"] = ("validation.choose_one", {})
    elif threshold < current_threshold:
        problems["anonymity_threshold"] = (
            "checkins.validation.threshold_lower",
            {"current": current_threshold},
        )
    return problems


def _apply_form(
    schedule: CheckinSchedule,
    form: ScheduleForm,
    *,
    before: ScheduleRule,
    user_id: str,
    now: datetime,
) -> None:
    """Set every field of `schedule` from the validated `form`.

    A change of the timing starts the rhythm afresh from the first run after now; a change of anything
    else keeps it.
    """
    hour, minute = parse_time_of_day(form.time) or (DEFAULT_HOUR, DEFAULT_MINUTE)
    frequency, weekday = Frequency(form.frequency), int(form.weekday)
    if (before.frequency, before.weekday, before.hour, before.minute) == (frequency, weekday, hour, minute):
        anchor = before.anchor
    else:
        anchor = first_run_date(
            frequency=frequency,
            weekday=weekday,
            hour=hour,
            minute=minute,
            timezone=before.timezone,
            after=now,
        )
    schedule.frequency = frequency
    schedule.weekday = weekday
    schedule.hour = hour
    schedule.minute = minute
    schedule.anchor = anchor
    schedule.open_days = int(form.open_days)
    schedule.reminders = form.reminders == "on"
    schedule.anonymity_threshold = int(form.anonymity_threshold)
    schedule.updated_by = user_id
    schedule.updated_at = now


class CheckinScheduleService(Service):
    def schedule_overview(self, *, network_id: int) -> ScheduleOverview:
        """The network's schedule and its next run. Raises ChannelNotLinked for an unknown network."""
        with unit_of_work(self._sessions) as session:
            network = session.get(Network, network_id)
            if network is None:
                raise ChannelNotLinked()
            schedule = q.get_schedule(session=session, network_id=network_id)
            return self._overview(session, network, schedule)

    def schedule_for(self, *, network_id: int, user_id: str) -> MembersSchedule:
        """The network's schedule, for one of its members. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network, membership = lookups.network_and_membership(session, network_id, user_id)
            schedule = q.get_schedule(session=session, network_id=network_id)
            return MembersSchedule(
                overview=self._overview(session, network, schedule),
                network=network,
                may_change=membership.role == Role.FACILITATOR,
            )

    def announced_schedule(self, *, network_id: int) -> ScheduleAnnouncement:
        """The network's schedule as it stands now, with where and in what language to show it.

        Raises ChannelNotLinked for a network that is gone or archived meanwhile.
        """
        with unit_of_work(self._sessions) as session:
            network = access.live_network(session, network_id)
            schedule = q.get_schedule(session=session, network_id=network_id)
            return ScheduleAnnouncement(
                overview=self._overview(session, network, schedule),
                channel_id=network.channel_id,
                language=network.language,
            )

    def _overview(
        self, session: Session, network: Network, schedule: CheckinSchedule | None
    ) -> ScheduleOverview:
        rule = rule_of(network, schedule)
        now = self._clock.now()
        return ScheduleOverview(
            network_id=network.id or 0,
            rule=rule,
            open_days=schedule.open_days if schedule else DEFAULT_OPEN_DAYS,
            reminders=schedule.reminders if schedule else True,
            anonymity_threshold=schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD,
            is_default=schedule is None,
            next_run=rule.next_run_at_or_after(now),
            irregular=rule.irregular_runs(now),
            pauses=upcoming_in(session, network, now),
        )

    def change_schedule(self, *, network_id: int, user_id: str, form: ScheduleForm) -> ScheduleOverview:
        """Store the network's new schedule, and record its announcement in the channel; the next run
        follows it.

        Raises NotAMember or NotAFacilitator (only facilitators change it), and InvalidInput for a value
        that is not offered or an anonymity threshold below the current one. A change of the timing
        starts the rhythm afresh from the first run after now; a change of anything else keeps it.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            schedule = q.get_schedule(session=session, network_id=network_id)
            current = schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD
            problems = validate_schedule_form(form, current_threshold=current)
            if set(problems) == {"anonymity_threshold"} and form.anonymity_threshold.isdecimal():
                raise ThresholdOnlyUp(problems, current=current)
            if problems:
                raise InvalidInput(problems)
            before = rule_of(network, schedule)
            # A table model is not validated on creation: _apply_form sets every field.
            schedule = schedule or CheckinSchedule(network_id=network_id)
            _apply_form(schedule, form, before=before, user_id=user_id, now=now)
            q.save_schedule(session=session, schedule=schedule)
            self._outbox.record(
                session,
                EffectKind.CHECKIN_SCHEDULE_SAVED,
                network_id=network_id,
                user_id=user_id,
                language=network.language,
            )
            return self._overview(session, network, schedule)

    def active_rules(self) -> dict[int, ScheduleRule]:
        """The schedule of every network that is polled, by network id: what the scheduler runs."""
        with unit_of_work(self._sessions) as session:
            rows = q.list_live_networks_with_schedules(session=session)
            rules = {network.id or 0: rule_of(network, schedule) for network, schedule in rows}
        return {network_id: rule for network_id, rule in rules.items() if rule.active}
