"""The APScheduler instance that runs the bot's timed work, and which process gets to run it.

Every process runs a scheduler, but only the *leader* has the timed jobs on it:
- with PostgreSQL the leader is the process holding a session-level advisory lock on a connection of its
  own; the others try again every `elect_every`, so one of them takes over within that time once the
  leader dies (PostgreSQL lets go of the lock when the connection closes);
- with SQLite there is one process, and it leads.
The lock only elects. What makes a poll (or a close, or an agenda) happen once is its claim in the
database (see bot.services.checkin_polls): a leader that has not noticed yet that it lost the lock, or two
leaders for a moment, still post each thing once.

Jobs are not kept in a job store: the leader rebuilds them from the stored schedules when it is elected
and re-reads them every `sweep_every` (so a schedule changed through another process is picked up), and
the sweep posts any run whose time passed while nobody led, within the grace period. The database, not
APScheduler's memory, says what was done, so nothing is lost or doubled across restarts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Protocol

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bot.services.checkin_schedule import ScheduleRule

log = logging.getLogger(__name__)

# Any number, the same in every process of one bot on one database (pg_try_advisory_lock's key).
SCHEDULER_LOCK_ID = 0x4E657453
ELECT_JOB_ID = "netwerkbot:elect"
SWEEP_JOB_ID = "netwerkbot:sweep"
SCALES_JOB_ID = "netwerkbot:scales"
RECOVER_JOB_ID = "netwerkbot:recover"
CLOSE_JOB_ID = "netwerkbot:close"
REMIND_JOB_ID = "netwerkbot:remind"
DIGESTS_JOB_ID = "netwerkbot:digests"
OUTBOX_JOB_ID = "netwerkbot:outbox"
# How often every process carries out its outbox items that are due again, and a silent process's.
OUTBOX_EVERY = timedelta(seconds=2)
# How soon the leader looks for claims left by a process that stopped beating (see bot.services.processes).
RECOVER_EVERY = timedelta(seconds=10)
# How soon a poll posted by the timed jobs gets its scale, when the rate limit leaves room.
SCALES_EVERY = timedelta(seconds=5)
CHECKIN_JOB_PREFIX = "checkin:"


def create_scheduler() -> BackgroundScheduler:
    """A background scheduler in UTC; each job states its own time zone through its trigger.

    One instance of a job at a time, and missed runs merged into one: a poll that is late must
    come once, never in a burst.
    """
    return BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
    )


class CheckinTrigger(BaseTrigger):
    """Fires at each run of a check-in schedule: once per run date, in the network's time zone.

    Unlike a CronTrigger it cannot fire twice in an autumn fold, and a time in the spring gap fires once,
    after the gap (see bot.services.checkin_schedule).
    """

    __slots__ = ("rule",)

    def __init__(self, rule: ScheduleRule) -> None:
        self.rule = rule

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        start = previous_fire_time + timedelta(microseconds=1) if previous_fire_time is not None else now
        return self.rule.next_run_at_or_after(start)

    def __repr__(self) -> str:
        return f"<CheckinTrigger {self.rule}>"


class Leadership(Protocol):
    def acquire(self) -> bool:
        """Whether this process leads now: keeps the lead it has, or tries to take it."""
        ...

    def release(self) -> None: ...


class SoleLeadership:
    """SQLite: one process, which always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    """PostgreSQL: the process holding a session-level advisory lock on its own connection leads."""

    def __init__(self, url: str, *, lock_id: int = SCHEDULER_LOCK_ID) -> None:
        # A connection outside the pool: the lock lives exactly as long as this session.
        self._engine: Engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args={"application_name": f"netwerkbot-scheduler-{os.getpid()}", "connect_timeout": 5},
        )
        self._lock_id = lock_id
        self._connection: Connection | None = None
        self._held = False
        self._mutex = threading.Lock()

    def acquire(self) -> bool:
        with self._mutex:
            try:
                if self._held and self._still_held():
                    return True
                if self._held:
                    log.warning("the scheduler lock was lost; another process may lead now")
                    self._drop()
                connection = self._connection or self._engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                )
                self._connection = connection
                self._held = bool(
                    connection.execute(
                        text("SELECT pg_try_advisory_lock(:id)"), {"id": self._lock_id}
                    ).scalar()
                )
            except DBAPIError as error:
                log.warning("cannot reach the database to elect the scheduler's leader: %s", error)
                self._drop()
            return self._held

    def _still_held(self) -> bool:
        assert self._connection is not None
        return bool(
            self._connection.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid = 0 AND objid = :id AND objsubid = 1)"
                ),
                {"id": self._lock_id},
            ).scalar()
        )

    def _drop(self) -> None:
        self._held = False
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.close()
            self._connection = None

    def release(self) -> None:
        with self._mutex:
            if self._held and self._connection is not None:
                with contextlib.suppress(DBAPIError):
                    self._connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self._lock_id})
            self._drop()
        self._engine.dispose()


def leadership_for(engine: Engine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeadership(engine.url.render_as_string(hide_password=False))
    return SoleLeadership()


class Scheduling:
    """The timed jobs of one running bot: elected, rebuilt from the database, and given up.

    `runtime` is the name under which the bot's job context is bound in bot.jobs; every job gets it as
    its first argument, so jobs stay module-level functions with plain-id arguments.
    """

    def __init__(
        self,
        scheduler: BackgroundScheduler,
        leadership: Leadership,
        *,
        runtime: str,
        elect_every: timedelta = timedelta(seconds=10),
        sweep_every: timedelta = timedelta(seconds=60),
    ) -> None:
        self.scheduler = scheduler
        self.leadership = leadership
        self.runtime = runtime
        self.elect_every = elect_every
        self.sweep_every = sweep_every
        self.may_lead = True
        """False in a process that leaves the timed jobs to others (a web-only process)."""
        self._leading = False
        self._closed = False
        # Every change to the scheduler's jobs happens under this lock and not once closed: APScheduler's
        # shutdown holds its job store lock while it waits for running jobs, so a job that touched the
        # scheduler during shutdown would wait for ever.
        self._mutex = threading.RLock()

    @property
    def is_leader(self) -> bool:
        return self._leading

    def install(self) -> None:
        """Put the election on the scheduler: it runs as soon as the scheduler starts, then every so often."""
        self.scheduler.add_job(
            "bot.jobs:elect",
            trigger=IntervalTrigger(seconds=self.elect_every.total_seconds()),
            args=[self.runtime],
            id=ELECT_JOB_ID,
            name="elect the process that runs the timed jobs",
            next_run_time=datetime.now(UTC),
            replace_existing=True,
        )
        # Every process, leader or not, carries out what its own requests left, and what the dead left.
        self.scheduler.add_job(
            "bot.jobs:carry_out_outbox",
            trigger=IntervalTrigger(seconds=OUTBOX_EVERY.total_seconds()),
            args=[self.runtime],
            id=OUTBOX_JOB_ID,
            name="carry out the outbox items that are due",
            replace_existing=True,
        )

    def elect(self) -> bool:
        """Take the lead if free (and start the timed jobs), or give up the jobs if the lead was lost."""
        leading = self.may_lead and self.leadership.acquire()
        with self._mutex:
            if self._closed:
                return False
            if leading and not self._leading:
                log.info("this process now runs the timed jobs")
                self._leading = True
                for function, job_id, every, name in self._leader_jobs():
                    self.scheduler.add_job(
                        function,
                        trigger=IntervalTrigger(seconds=every.total_seconds()),
                        args=[self.runtime],
                        id=job_id,
                        name=name,
                        next_run_time=datetime.now(UTC),
                        replace_existing=True,
                    )
            elif not leading and self._leading:
                log.warning("this process no longer runs the timed jobs")
                self._leading = False
                self._remove_leader_jobs()
        return leading

    def _leader_jobs(self) -> list[tuple[str, str, timedelta, str]]:
        """The leader's timed jobs: function, id, how often, name.

        Work that grows with the number of networks and waits on Slack's rate limits (the scales,
        closings, reminders, digests) runs in jobs of its own, beside the sweep: APScheduler runs one
        instance of a job at a time, so a busy minute in one holds up no other.
        """
        every = self.sweep_every
        return [
            ("bot.jobs:sweep", SWEEP_JOB_ID, every, "post, recover and clean up what is due"),
            ("bot.jobs:add_missing_scales", SCALES_JOB_ID, min(SCALES_EVERY, every), "add the scales"),
            ("bot.jobs:close_polls", CLOSE_JOB_ID, every, "close the polls whose time is up"),
            ("bot.jobs:remind", REMIND_JOB_ID, every, "remind who has not answered a poll"),
            ("bot.jobs:post_digests", DIGESTS_JOB_ID, every, "post the summary digests"),
            (
                "bot.jobs:recover_stale",
                RECOVER_JOB_ID,
                min(RECOVER_EVERY, every),
                "finish what the dead left",
            ),
        ]

    def sync_checkin_jobs(self, rules: dict[int, ScheduleRule]) -> None:
        """Make the scheduler's check-in jobs match `rules` (network id → schedule): add, change, remove."""
        with self._mutex:
            if self._closed or not self._leading:
                return
            existing = {
                job.id: job for job in self.scheduler.get_jobs() if job.id.startswith(CHECKIN_JOB_PREFIX)
            }
            for network_id, rule in rules.items():
                job_id = checkin_job_id(network_id)
                job = existing.pop(job_id, None)
                if job is not None and isinstance(job.trigger, CheckinTrigger) and job.trigger.rule == rule:
                    continue
                self.scheduler.add_job(
                    "bot.jobs:post_due_checkin",
                    trigger=CheckinTrigger(rule),
                    args=[self.runtime, network_id],
                    id=job_id,
                    name=f"check-in poll of network {network_id}",
                    replace_existing=True,
                )
            for job_id in existing:
                self._remove(job_id)

    def next_run(self, network_id: int) -> datetime | None:
        """When the scheduler will run the network's check-in job (None: not scheduled here)."""
        job = self.scheduler.get_job(checkin_job_id(network_id))
        return job.next_run_time if job is not None else None

    def _remove_leader_jobs(self) -> None:
        for job in self.scheduler.get_jobs():
            if job.id not in (ELECT_JOB_ID, OUTBOX_JOB_ID):
                self._remove(job.id)

    def _remove(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def close(self) -> None:
        """Touch the scheduler no more (call before shutting it down) and give up the lead."""
        with self._mutex:
            self._closed = True
            self._leading = False
        self.leadership.release()


def checkin_job_id(network_id: int) -> str:
    return f"{CHECKIN_JOB_PREFIX}{network_id}"
