"""When a network's check-in poll runs: a rule over local dates, exact across daylight-saving changes.

A run belongs to a *local date* in the network's time zone; the UTC instant follows from it:
- a time that does not exist that day (inside the spring gap) runs as late as the gap is long
  (02:30 in Brussels on the last Sunday of March runs at 03:30 CEST), as the clocks read after the change;
- a time that happens twice (inside the autumn fold) runs once, at its first occurrence.
So a rule gives exactly one instant per run date, and the local date is what makes a run unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage.models.checkins import Frequency

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
