"""When check-ins fire: asked of the trigger from a fixed now, across both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import CheckinTrigger
from bot.scheduler import Scheduling
from bot.scheduler import SoleLeadership
from bot.scheduler import checkin_job_id
from bot.scheduler import create_scheduler
from bot.services.checkin_schedule import Irregularity
from bot.services.checkin_schedule import ScheduleRule
from bot.services.checkin_schedule import first_run_date
from storage.models.checkins import Frequency

BRUSSELS = ZoneInfo("Europe/Brussels")


def rule(
    frequency: Frequency = Frequency.WEEKLY,
    *,
    weekday: int = 0,
    hour: int = 10,
    minute: int = 0,
    anchor: date = date(2026, 1, 1),
    timezone: str = "Europe/Brussels",
) -> ScheduleRule:
    return ScheduleRule(
        frequency=frequency, weekday=weekday, hour=hour, minute=minute, timezone=timezone, anchor=anchor
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fire_times(trigger: CheckinTrigger, now: datetime, count: int) -> list[datetime]:
    """The next `count` fire times, as APScheduler would ask for them one after the other."""
    times: list[datetime] = []
    previous = None
    for _ in range(count):
        following = trigger.get_next_fire_time(previous, now)
        assert following is not None
        times.append(following)
        previous = following
    return times


def local(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%a %Y-%m-%d %H:%M %Z")


def test_monday_ten_stays_ten_across_the_spring_change() -> None:
    trigger = CheckinTrigger(rule())
    times = fire_times(trigger, utc(2026, 3, 20, 12), 3)
    assert times == [utc(2026, 3, 23, 9), utc(2026, 3, 30, 8), utc(2026, 4, 6, 8)]
    assert [local(t) for t in times] == [
        "Mon 2026-03-23 10:00 CET",
        "Mon 2026-03-30 10:00 CEST",
        "Mon 2026-04-06 10:00 CEST",
    ]


def test_monday_ten_stays_ten_across_the_autumn_change() -> None:
    trigger = CheckinTrigger(rule())
    times = fire_times(trigger, utc(2026, 10, 13, 12), 3)
    assert times == [utc(2026, 10, 19, 8), utc(2026, 10, 26, 9), utc(2026, 11, 2, 9)]


def test_a_time_in_the_spring_gap_fires_once_after_the_gap() -> None:
    trigger = CheckinTrigger(rule(weekday=6, hour=2, minute=30))
    times = fire_times(trigger, utc(2026, 3, 21), 3)
    assert [local(t) for t in times] == [
        "Sun 2026-03-22 02:30 CET",
        "Sun 2026-03-29 03:30 CEST",  # 02:30 does not exist that night
        "Sun 2026-04-05 02:30 CEST",
    ]
    assert rule(weekday=6, hour=2, minute=30).irregularity_on(date(2026, 3, 29)) == Irregularity.GAP


def test_a_time_in_the_autumn_fold_fires_once_at_its_first_occurrence() -> None:
    trigger = CheckinTrigger(rule(weekday=6, hour=2, minute=30))
    times = fire_times(trigger, utc(2026, 10, 24), 2)
    # 02:30 happens at 00:30Z (summer time) and again at 01:30Z (winter time): only the first fires.
    assert times == [utc(2026, 10, 25, 0, 30), utc(2026, 11, 1, 1, 30)]
    assert rule(weekday=6, hour=2, minute=30).irregularity_on(date(2026, 10, 25)) == Irregularity.FOLD
    # Asked between the two occurrences, the trigger does not offer the second one.
    assert trigger.get_next_fire_time(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 0)) == utc(
        2026, 11, 1, 1, 30
    )


def test_every_two_weeks_counts_from_the_anchor() -> None:
    trigger = CheckinTrigger(rule(Frequency.BIWEEKLY, anchor=date(2026, 9, 21)))
    times = fire_times(trigger, utc(2026, 9, 14), 4)
    assert [t.astimezone(BRUSSELS).date() for t in times] == [
        date(2026, 9, 21),
        date(2026, 10, 5),
        date(2026, 10, 19),
        date(2026, 11, 2),
    ]
    assert local(times[-1]) == "Mon 2026-11-02 10:00 CET"


def test_monthly_is_the_first_such_weekday_of_the_month() -> None:
    trigger = CheckinTrigger(rule(Frequency.MONTHLY, weekday=1, hour=14))
    times = fire_times(trigger, utc(2026, 9, 2), 4)
    assert [local(t) for t in times] == [
        "Tue 2026-10-06 14:00 CEST",
        "Tue 2026-11-03 14:00 CET",
        "Tue 2026-12-01 14:00 CET",
        "Tue 2027-01-05 14:00 CET",
    ]


def test_off_never_fires() -> None:
    assert CheckinTrigger(rule(Frequency.OFF)).get_next_fire_time(None, utc(2026, 9, 14)) is None


def test_nothing_fires_before_the_anchor() -> None:
    trigger = CheckinTrigger(rule(anchor=date(2026, 9, 28)))
    assert trigger.get_next_fire_time(None, utc(2026, 9, 14)) == utc(2026, 9, 28, 8)
    assert rule(anchor=date(2026, 9, 28)).latest_run_at_or_before(utc(2026, 9, 27)) is None


def test_the_latest_run_is_named_by_its_local_date() -> None:
    weekly = rule(weekday=6, hour=0, minute=30)
    # Sunday 00:30 in Brussels is Saturday 22:30 UTC: the run belongs to Sunday.
    assert weekly.latest_run_at_or_before(utc(2026, 9, 19, 23)) == (
        date(2026, 9, 20),
        utc(2026, 9, 19, 22, 30),
    )
    assert weekly.latest_run_at_or_before(utc(2026, 9, 19, 22, 29))[0] == date(2026, 9, 13)


def test_other_time_zones_follow_their_own_changes() -> None:
    new_york = rule(weekday=6, hour=1, minute=30, timezone="America/New_York", anchor=date(2025, 1, 1))
    # The fold that made a CronTrigger fire at 05:30Z and 06:30Z on 2025-11-02: once here.
    times = fire_times(CheckinTrigger(new_york), utc(2025, 11, 1), 2)
    assert times == [utc(2025, 11, 2, 5, 30), utc(2025, 11, 9, 6, 30)]


@pytest.mark.parametrize(
    ("saved_at", "expected"),
    [
        (utc(2026, 9, 14, 7, 55), date(2026, 9, 14)),  # Monday 09:55: today at 10:00
        (utc(2026, 9, 14, 8, 0), date(2026, 9, 21)),  # Monday 10:00 sharp: that run has begun, next week
        (utc(2026, 9, 14, 8, 5), date(2026, 9, 21)),  # Monday 10:05: next week
    ],
)
def test_a_new_schedule_starts_with_the_first_run_after_it_was_set(
    saved_at: datetime, expected: date
) -> None:
    anchor = first_run_date(
        frequency=Frequency.BIWEEKLY, weekday=0, hour=10, minute=0, timezone="Europe/Brussels", after=saved_at
    )
    assert anchor == expected


def test_the_coming_gap_and_fold_are_found_for_the_facilitator() -> None:
    sunday_half_past_two = rule(weekday=6, hour=2, minute=30)
    found = sunday_half_past_two.irregular_runs(utc(2026, 9, 14))
    assert [(run.run_date, run.kind) for run in found] == [
        (date(2026, 10, 25), Irregularity.FOLD),
        (date(2027, 3, 28), Irregularity.GAP),
    ]
    assert rule().irregular_runs(utc(2026, 9, 14)) == []


# ---------------------------------------------------------------------- the scheduler's jobs


class _Leading:
    def __init__(self) -> None:
        self.leading = True

    def acquire(self) -> bool:
        return self.leading

    def release(self) -> None:
        self.leading = False


@pytest.fixture
def paused_scheduler():
    scheduler = create_scheduler()
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def test_the_leader_keeps_one_job_per_scheduled_network_in_step_with_the_database(
    paused_scheduler: BackgroundScheduler,
) -> None:
    leadership = _Leading()
    scheduling = Scheduling(paused_scheduler, leadership, runtime="test")
    assert scheduling.elect() is True
    weekly = rule(anchor=date(2026, 9, 1))

    scheduling.sync_checkin_jobs({1: weekly, 2: rule(Frequency.MONTHLY, anchor=date(2026, 9, 1))})
    first = paused_scheduler.get_job(checkin_job_id(1))
    assert first is not None and first.func_ref == "bot.jobs:post_due_checkin" and first.args == ("test", 1)
    assert first.next_run_time is not None and first.next_run_time.astimezone(BRUSSELS).hour == 10

    scheduling.sync_checkin_jobs({1: weekly})  # network 2 switched off
    assert paused_scheduler.get_job(checkin_job_id(2)) is None
    kept = paused_scheduler.get_job(checkin_job_id(1))
    assert kept is not None and kept.next_run_time == first.next_run_time

    scheduling.sync_checkin_jobs({1: rule(hour=14, anchor=date(2026, 9, 1))})
    changed = paused_scheduler.get_job(checkin_job_id(1))
    assert changed.next_run_time.astimezone(BRUSSELS).hour == 14

    leadership.leading = False
    assert scheduling.elect() is False
    assert [job.id for job in paused_scheduler.get_jobs()] == []
    scheduling.sync_checkin_jobs({1: weekly})  # a follower keeps no check-in jobs
    assert paused_scheduler.get_jobs() == []


def test_the_election_and_the_outbox_are_on_the_scheduler_of_every_process_before_it_starts() -> None:
    scheduler = create_scheduler()
    scheduling = Scheduling(scheduler, SoleLeadership(), runtime="test", elect_every=timedelta(seconds=5))
    scheduling.install()
    jobs = {job.id: (job.func_ref, job.args) for job in scheduler.get_jobs()}
    assert jobs == {
        "netwerkbot:elect": ("bot.jobs:elect", ("test",)),
        "netwerkbot:outbox": ("bot.jobs:carry_out_outbox", ("test",)),
    }


def test_the_leader_runs_the_work_that_waits_on_rate_limits_beside_the_sweep(paused_scheduler) -> None:
    scheduling = Scheduling(paused_scheduler, SoleLeadership(), runtime="test")
    assert scheduling.elect() is True
    jobs = {job.id: job.func_ref for job in paused_scheduler.get_jobs()}
    assert jobs == {
        "netwerkbot:sweep": "bot.jobs:sweep",
        "netwerkbot:scales": "bot.jobs:add_missing_scales",
        "netwerkbot:close": "bot.jobs:close_polls",
        "netwerkbot:remind": "bot.jobs:remind",
        "netwerkbot:digests": "bot.jobs:post_digests",
        "netwerkbot:recover": "bot.jobs:recover_stale",
    }
