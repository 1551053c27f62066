"""The quarterly thermometer round is opened and posted exactly once: several processes race for it at
its time, one of them dies between opening it and posting it, and the clocks of Brussels change between
two quarters.

Each "process" has an engine, services and a publisher of its own on the one database, as separate bot
processes have; the clock is the test's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.publishing import Publisher
from bot.sandbox.emulator import SlackEmulator
from bot.services import Services, build_services
from bot.services.processes import LEASE, ProcessRegistry
from bot.slack_api import make_web_client
from storage.db import create_db_engine, session_factory
from tests.scheduler.killing import start_network
from tests.scheduler.workspace import CHANNEL

OCTOBER_ROUND = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
"""The first Monday of October, 10:00 in Brussels (summer time)."""
JANUARY_ROUND = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
"""The first Monday of January, 10:00 in Brussels (winter time)."""


class Process:
    def __init__(self, url: str, emulator: SlackEmulator, clock: ManualClock, name: str) -> None:
        self.engine = create_db_engine(url)
        sessions = session_factory(self.engine)
        self.services: Services = build_services(sessions=sessions, clock=clock, process_id=name)
        self.registry = ProcessRegistry(sessions=sessions, clock=clock, process_id=name)
        self.registry.beat()
        client = make_web_client(token=emulator.bot_token, base_url=emulator.api_url)
        self.publisher = Publisher(
            sessions=sessions, clock=clock, client=client, services=self.services, process_id=name
        )

    def sweep(self) -> None:
        """What bot.jobs.run_thermometer_rounds does in a live process."""
        with self.publisher.after():
            self.services.thermometer.open_due_rounds()
            self.services.thermometer.close_due_rounds()


@pytest.fixture
def processes(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[ManualClock, list[Process]]]:
    clock = ManualClock(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    start_network(database_url, clock)
    started = [Process(database_url, emulator, clock, f"process-{n}") for n in range(4)]
    yield clock, started
    for process in started:
        process.engine.dispose()


def rounds_posted(emulator: SlackEmulator) -> list[str]:
    return [
        str((m.get("metadata") or {}).get("event_payload", {}).get("key"))
        for m in emulator.messages(CHANNEL)
        if "thermometer_answer_open" in str(m.get("blocks"))
    ]


def test_four_processes_racing_open_and_post_the_quarterly_round_once(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, racing = processes
    clock.set(OCTOBER_ROUND - timedelta(minutes=1))
    for process in racing:
        process.sweep()
    assert rounds_posted(emulator) == []

    clock.set(OCTOBER_ROUND)
    start = threading.Barrier(len(racing))

    def run(process: Process) -> None:
        start.wait()
        process.sweep()

    threads = [threading.Thread(target=run, args=(process,)) for process in racing]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for process in racing:  # and later sweeps, within the grace period
        process.sweep()
    clock.advance(timedelta(hours=12))
    racing[0].sweep()
    assert rounds_posted(emulator) == ["thermometer/1/2026-q4"]


def test_a_round_opened_by_a_process_that_died_before_posting_it_is_posted_once_by_another(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, (dying, survivor, *_) = processes
    while survivor.publisher.carry_out_due():  # what starting the network left to do
        pass
    clock.set(JANUARY_ROUND)
    dying.registry.beat()
    survivor.registry.beat()
    # The dying process commits the round and its post in the outbox, and is killed before the post.
    assert dying.services.thermometer.open_due_rounds() == 1
    survivor.sweep()  # the round is claimed: nothing new is opened
    assert survivor.publisher.carry_out_due() == 0  # the dead process's item is its own until its lease ends
    assert rounds_posted(emulator) == []

    clock.advance(LEASE + timedelta(seconds=1))
    survivor.registry.beat()
    while survivor.publisher.carry_out_due():
        pass
    survivor.sweep()
    assert rounds_posted(emulator) == ["thermometer/1/2027-q1"]
