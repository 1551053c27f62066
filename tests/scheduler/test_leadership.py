"""Several bot processes on one PostgreSQL database: one runs the timed jobs, each poll is posted once.

The lock elects the leader; the claims in the database make each post happen once, also while two
processes both believe they lead. The last test runs real processes and kills the leader with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import SANDBOX_SIGNING_SECRET
from bot.demo.harness import sandbox_settings
from bot.runtime import Runtime
from bot.runtime import build_runtime
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.scheduler import SCHEDULER_LOCK_ID
from bot.scheduler import AdvisoryLockLeadership
from bot.services.checkin_schedule import CheckinScheduleService
from storage.db import create_db_engine
from storage.db import session_factory
from tests.factories import schedule_form
from tests.scheduler.killing import ROOT
from tests.scheduler.killing import free_port
from tests.scheduler.killing import start_network
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS
from tests.together import run_together


@pytest.fixture
def postgres(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite is one process: there is no leader to elect")
    return database_url


def lock_holders(url: str) -> list[str]:
    """The application names of the sessions holding the scheduler's lock (`netwerkbot-scheduler-<pid>`)."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        " WHERE l.locktype = 'advisory' AND l.objid = :id AND l.granted"
                    ),
                    {"id": SCHEDULER_LOCK_ID},
                ).scalars()
            )
    finally:
        engine.dispose()


def terminate_lock_holder(url: str) -> None:
    """What PostgreSQL does when the leader's connection dies: its session, and so its lock, ends."""
    # Only this test run's database: other runs on the same server hold the same lock id in theirs.
    held = (
        " FROM pg_locks WHERE locktype = 'advisory' AND objid = :id AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid)" + held), {"id": SCHEDULER_LOCK_ID})

        def released() -> bool:
            # pg_terminate_backend only signals: the lock goes when the backend has exited.
            with engine.begin() as connection:
                return not connection.execute(
                    text("SELECT EXISTS (SELECT 1" + held + ")"), {"id": SCHEDULER_LOCK_ID}
                ).scalar()

        assert wait_until(released, timeout=10), "the lock holder did not end"
    finally:
        engine.dispose()


def posts_but_the_welcome(emulator: SlackEmulator) -> list[object]:
    """The bot's chat.postMessage calls, but the welcome that linking the network in the set-up recorded."""
    return [
        call
        for call in emulator.calls_to("chat.postMessage")
        if "network-welcome-" not in str(call.args.get("metadata"))
    ]


def polls(emulator: SlackEmulator) -> list[dict]:
    return [m for m in emulator.messages(CHANNEL) if "checkin/" in str(m.get("metadata"))]


def test_one_session_holds_the_lock_and_another_takes_over_when_it_ends(postgres: str) -> None:
    first, second = AdvisoryLockLeadership(postgres), AdvisoryLockLeadership(postgres)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.acquire() is True  # keeps it
        assert second.acquire() is False

        terminate_lock_holder(postgres)

        assert second.acquire() is True
        assert first.acquire() is False  # notices it lost the lock, and that someone else has it now
        second.release()
        assert first.acquire() is True
    finally:
        first.release()
        second.release()


def test_two_bots_on_one_database_elect_one_leader_and_post_each_poll_once(
    postgres: str, emulator: SlackEmulator
) -> None:
    clock = ManualClock(datetime(2026, 9, 14, 8, 0, tzinfo=UTC))
    runtimes: list[Runtime] = [
        build_runtime(sandbox_settings(emulator, database_url=postgres), clock=clock) for _ in range(2)
    ]
    try:
        elected = [runtime.scheduling.elect() for runtime in runtimes]
        assert sorted(elected) == [False, True]
        for runtime in runtimes:
            runtime.scheduler.start(paused=True)
        # The follower's scheduler runs too, waiting for its turn: both are healthy (/healthz 200).
        assert [runtime.health().ok for runtime in runtimes] == [True, True]
        network_id = start_network(postgres, clock)
        clock.set(datetime(2026, 9, 21, 8, 0, tzinfo=UTC))
        # Both are alive a week later, as their (paused) election jobs would have said every few seconds:
        # without a fresh beat each would take the other's claim for a dead process's and post it again.
        for runtime in runtimes:
            jobs.elect(runtime.scheduling.runtime)

        # Both process the run at once, as an old leader that has not noticed its loss yet would.
        run_together(
            *(
                job
                for runtime in runtimes
                for job in (
                    lambda r=runtime: jobs.post_due_checkin(r.scheduling.runtime, network_id),
                    lambda r=runtime: jobs.sweep(r.scheduling.runtime),
                )
            )
        )

        assert len(polls(emulator)) == 1
        assert len(posts_but_the_welcome(emulator)) == 1

        leader = next(runtime for runtime in runtimes if runtime.scheduling.is_leader)
        follower = next(runtime for runtime in runtimes if not runtime.scheduling.is_leader)
        leader.close()
        runtimes.remove(leader)
        assert follower.scheduling.elect() is True
    finally:
        for runtime in runtimes:
            runtime.close()


def _due_a_few_minutes_ago(url: str) -> None:
    """A network whose weekly poll was due two minutes ago (real time): the leader posts it as it starts."""
    now = datetime.now(UTC)
    clock = ManualClock(now - timedelta(days=30))
    network_id = start_network(url, clock)
    due = (now - timedelta(minutes=2)).astimezone(ZoneInfo("Europe/Brussels"))
    engine = create_db_engine(url)
    try:
        CheckinScheduleService(sessions=session_factory(engine), clock=clock).change_schedule(
            network_id=network_id,
            user_id=FACILITATOR,
            form=schedule_form(weekday=str(due.weekday()), time=due.strftime("%H:%M"), reminders="off"),
        )
    finally:
        engine.dispose()


def test_two_real_processes_serve_requests_post_once_and_the_survivor_takes_over_when_the_leader_is_killed(
    postgres: str, emulator: SlackEmulator, tmp_path: Path
) -> None:
    _due_a_few_minutes_ago(postgres)
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": emulator.bot_token,
        "SLACK_SIGNING_SECRET": SANDBOX_SIGNING_SECRET,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": postgres,
        "PYTHONPATH": str(ROOT),
        "HOST": "127.0.0.1",
    }
    environment.pop("SLACK_APP_TOKEN", None)
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.scheduler.serving_bot_process"],
            cwd=ROOT,
            env={**environment, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"bot-{number}.log").open("w"),
        )
        for number, port in enumerate(ports)
    ]
    drivers = [
        SlackDriver(f"http://127.0.0.1:{port}/slack/events", SANDBOX_SIGNING_SECRET, emulator)
        for port in ports
    ]
    try:
        assert wait_until(lambda: len(polls(emulator)) == 1 and len(lock_holders(postgres)) == 1), [
            (tmp_path / f"bot-{number}.log").read_text()[-2000:] for number in range(2)
        ]
        # Both serve Slack's requests, the leader and the other alike.
        assert wait_until(lambda: all(answers(driver) for driver in drivers))
        for driver in drivers:
            assert driver.slash_command("help", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
        assert wait_until(lambda: len(helps_answered(emulator)) >= 4)
        # Under load the lead may change hands for a moment (no holder in between): wait for one holder.
        seen: list[str] = []

        def one_holder() -> bool:
            seen[:] = lock_holders(postgres)
            return len(seen) == 1

        assert wait_until(one_holder)
        [holder] = seen
        leader = next(p for p in processes if holder == f"netwerkbot-scheduler-{p.pid}")
        survivor = next(p for p in processes if p is not leader)
        # Both keep running their schedulers for a while; only the leader sweeps, and finds nothing more.
        assert not wait_until(lambda: len(polls(emulator)) > 1, timeout=1.5)

        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=10)
        [poll] = polls(emulator)
        engine = create_db_engine(postgres)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text("UPDATE checkin_poll SET closes_at = :now"), {"now": datetime.now(UTC)}
                )
        finally:
            engine.dispose()

        assert wait_until(lambda: lock_holders(postgres) == [f"netwerkbot-scheduler-{survivor.pid}"])
        survivor_driver = drivers[processes.index(survivor)]
        answered = len(helps_answered(emulator))
        assert survivor_driver.slash_command("help", user_id=MEMBERS[0], channel_id=CHANNEL).status == 200
        assert wait_until(lambda: len(helps_answered(emulator)) == answered + 1)
        assert wait_until(lambda: len(emulator.replies(CHANNEL, poll["ts"])) == 1)
        assert not wait_until(lambda: len(emulator.replies(CHANNEL, poll["ts"])) > 1, timeout=1.0)
        assert len(polls(emulator)) == 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def answers(driver: SlackDriver) -> bool:
    """Whether the process behind the driver answers a signed command yet."""
    try:
        return driver.slash_command("help", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    except OSError:
        return False


def helps_answered(emulator: SlackEmulator) -> list[str]:
    answered = emulator.calls_to("response_url")
    return [str(call.args.get("text")) for call in answered if call.http_status == 200]
