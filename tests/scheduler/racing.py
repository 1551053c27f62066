"""Several bot processes in one test, racing for the same scheduled work: each "process" has an engine,
services and a publisher of its own on the one database, as separate bot processes have; the clock is
the test's."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from datetime import timedelta
from functools import partial

from bot.clock import ManualClock
from bot.publishing import Publisher
from bot.sandbox.emulator import SlackEmulator
from bot.services import Services
from bot.services import build_services
from bot.services.processes import LEASE
from bot.services.processes import ProcessRegistry
from bot.slack_api import make_web_client
from storage.db import create_db_engine
from storage.db import session_factory
from tests.scheduler.workspace import CHANNEL
from tests.together import run_together


class Process:
    def __init__(self, url: str, emulator: SlackEmulator, clock: ManualClock, name: str) -> None:
        self.clock = clock
        self.engine = create_db_engine(url)
        sessions = session_factory(self.engine)
        self.services: Services = build_services(sessions=sessions, clock=clock, process_id=name)
        self.registry = ProcessRegistry(sessions=sessions, clock=clock, process_id=name)
        self.registry.beat()
        client = make_web_client(token=emulator.bot_token, base_url=emulator.api_url)
        self.publisher = Publisher(
            sessions=sessions, clock=clock, client=client, services=self.services, process_id=name
        )

    def finish_due_effects(self) -> None:
        while self.publisher.carry_out_due():
            pass

    def take_over_after_the_lease(self) -> None:
        """The lease of a dead process runs out (the clock moves on): this one takes its outbox items
        over and carries them out."""
        self.clock.advance(LEASE + timedelta(seconds=1))
        self.registry.beat()
        self.finish_due_effects()


@contextmanager
def four_processes(url: str, emulator: SlackEmulator, clock: ManualClock) -> Iterator[list[Process]]:
    started = [Process(url, emulator, clock, f"process-{n}") for n in range(4)]
    try:
        yield started
    finally:
        for process in started:
            process.engine.dispose()


def race_at(
    clock: ManualClock, racing: list[Process], due: datetime, step: Callable[[Process], None]
) -> None:
    """At `due`, `step` in every process at the same moment, then once more in each: the later runs of
    the job, within its grace period."""
    clock.set(due)
    run_together(*(partial(step, process) for process in racing))
    for process in racing:
        step(process)


def killed_after_committing(
    clock: ManualClock, dying: Process, survivor: Process, due: datetime, commit: Callable[[Process], int]
) -> None:
    """At `due`, `dying` commits the one piece of due work with its posts in the outbox, and is killed
    before it posts them: it beats no more, and its outbox items stay its own until its lease ends."""
    survivor.finish_due_effects()  # what starting the network left to do
    clock.set(due)
    dying.registry.beat()
    survivor.registry.beat()
    assert commit(dying) == 1


def posted_keys(emulator: SlackEmulator, marker: str) -> list[str]:
    """The keys of the channel's messages whose blocks hold `marker`, in the order they were posted."""
    return [
        str((m.get("metadata") or {}).get("event_payload", {}).get("key"))
        for m in emulator.messages(CHANNEL)
        if marker in str(m.get("blocks"))
    ]
