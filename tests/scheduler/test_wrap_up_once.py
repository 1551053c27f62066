"""The close of the wrap-up happens exactly once: several processes race for it at its time, and one of
them dies between closing it and posting the harvest; its last day falls after the clocks of Brussels
went back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import date
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
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR

OPENED = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
"""Tuesday 3 November 2026, 17:00 in Brussels (winter time)."""


def close(process: Process) -> None:
    """What bot.jobs.run_wrap_ups does in a live process."""
    with process.publisher.after():
        process.services.wrap_up.close_due()


def close_due(process: Process) -> int:
    return process.services.wrap_up.close_due()


@pytest.fixture
def processes(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[ManualClock, list[Process]]]:
    clock = ManualClock(OPENED - timedelta(days=1))
    network_id = start_network(database_url, clock)
    with four_processes(database_url, emulator, clock) as started:
        clock.set(OPENED)
        with started[0].publisher.after():
            started[0].services.wrap_up.open(
                network_id=network_id, user_id=FACILITATOR, ends_on=date(2026, 11, 3)
            )
        yield clock, started


def harvests(emulator: SlackEmulator) -> list[str]:
    return posted_keys(emulator, "De oogst van ons lerend netwerk")


def test_four_processes_racing_close_the_wrap_up_and_post_its_harvest_once(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, racing = processes
    clock.set(CLOSES - timedelta(minutes=1))
    for process in racing:
        close(process)
    assert harvests(emulator) == []

    race_at(clock, racing, CLOSES, close)
    assert harvests(emulator) == ["wrap-up/1/harvest"]
    archived = [m for m in emulator.messages(CHANNEL) if "gearchiveerd" in str(m.get("blocks"))]
    assert len(archived) == 2  # the harvest's last line, and the archive's announcement


def test_a_harvest_left_by_a_process_that_died_after_the_close_is_posted_once_by_another(
    processes: tuple[ManualClock, list[Process]], emulator: SlackEmulator
) -> None:
    clock, (dying, survivor, *_) = processes
    # The dying process commits the close, the harvest and the archive in the outbox, and is killed.
    killed_after_committing(clock, dying, survivor, CLOSES, close_due)
    close(survivor)  # closed already: nothing more
    assert (
        survivor.publisher.carry_out_due() == 0
    )  # the dead process's items are its own until its lease ends
    assert harvests(emulator) == []

    survivor.take_over_after_the_lease()
    close(survivor)
    assert harvests(emulator) == ["wrap-up/1/harvest"]
