"""The quarterly thermometer round is opened and posted exactly once: several processes race for it at
its time, one of them dies between opening it and posting it, and the clocks of Brussels change between
two quarters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.sandbox.emulator import SlackEmulator
from tests.scheduler.killing import start_network
from tests.scheduler.racing import Process
from tests.scheduler.racing import four_processes
from tests.scheduler.racing import killed_after_committing
from tests.scheduler.racing import posted_keys
from tests.scheduler.racing import race_at

OCTOBER_ROUND = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
"""The first Monday of October, 10:00 in Brussels (summer time)."""
JANUARY_ROUND = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
"""The first Monday of January, 10:00 in Brussels (winter time)."""


def sweep(process: Process) -> None:
    """What bot.jobs.run_thermometer_rounds does in a live process."""
    with process.publisher.after():
        process.services.thermometer.open_due_rounds()
        process.services.thermometer.close_due_rounds()


def open_due_rounds(process: Process) -> int:
    return process.services.thermometer.open_due_rounds()


@pytest.fixture
def processes(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[ManualClock, list[Process]]]:
    clock = ManualClock(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    start_network(database_url, clock)
    with four_processes(database_url, emulator, clock) as started:
        yield clock, started


def rounds_posted(emulator: SlackEmulator) -> list[str]:
    return posted_keys(emulator, "thermometer_answer_open")


def test_four_processes_racing_open_and_post_the_quarterly_round_once(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, racing = processes
    clock.set(OCTOBER_ROUND - timedelta(minutes=1))
    for process in racing:
        sweep(process)
    assert rounds_posted(emulator) == []

    race_at(clock, racing, OCTOBER_ROUND, sweep)
    clock.advance(timedelta(hours=12))
    sweep(racing[0])
    assert rounds_posted(emulator) == ["thermometer/1/2026-q4"]


def test_a_round_opened_by_a_process_that_died_before_posting_it_is_posted_once_by_another(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, (dying, survivor, *_) = processes
    # The dying process commits the round and its post in the outbox, and is killed before the post.
    killed_after_committing(clock, dying, survivor, JANUARY_ROUND, open_due_rounds)
    sweep(survivor)  # the round is claimed: nothing new is opened
    assert survivor.publisher.carry_out_due() == 0  # the dead process's item is its own until its lease ends
    assert rounds_posted(emulator) == []

    survivor.take_over_after_the_lease()
    sweep(survivor)
    assert rounds_posted(emulator) == ["thermometer/1/2027-q1"]
