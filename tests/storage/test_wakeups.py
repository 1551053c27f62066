"""A request a web-only process records wakes the workers of other processes at once (PostgreSQL), and only
such a request: one a process records for its own workers is already in their hands."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import Engine

from bot.inbound import InboundRecorder
from storage.db import create_db_engine
from storage.queries_inbound import NewRequest
from storage.wakeups import Wakeups

LONG = 20.0
"""Longer than any test waits: a wait that returns sooner was woken."""


def command(key: str) -> NewRequest:
    return NewRequest(
        kind="command",
        content_type="application/x-www-form-urlencoded",
        body="command=%2Fnetwerk&text=help",
        received_at=datetime(2026, 12, 6, 9, 0, tzinfo=UTC),
        key=key,
    )


ON_POSTGRESQL = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
"""SQLite has nothing to listen on (the last test says what a wait is there)."""


@pytest.fixture
def wakeups(engine: Engine) -> Iterator[Wakeups]:
    wakeups = Wakeups(engine)
    yield wakeups
    wakeups.close()


@pytest.fixture
def recorder(engine: Engine) -> Iterator[Callable[[str | None], InboundRecorder]]:
    """A recorder for requests that `owner` works (None: left to the workers of other processes)."""
    started: list[InboundRecorder] = []

    def start(owner: str | None) -> InboundRecorder:
        started.append(InboundRecorder(engine=engine, owner=owner))
        return started[-1]

    yield start
    for recording in started:
        recording.close()


def waited_while(wakeups: Wakeups, record: Callable[[], object], timeout: float) -> tuple[bool, float]:
    """Wait on `wakeups` in a thread, `record` meanwhile; whether it was woken, and after how long."""
    outcome: dict[str, object] = {}
    listening = threading.Event()

    def wait() -> None:
        listening.set()
        began = time.monotonic()
        outcome["woken"] = wakeups.wait(timeout)
        outcome["seconds"] = time.monotonic() - began

    waiter = threading.Thread(target=wait)
    waiter.start()
    listening.wait()
    time.sleep(0.3)  # the LISTEN is issued on the waiter's first call
    record()
    waiter.join(timeout=LONG + 5)
    return bool(outcome["woken"]), float(outcome["seconds"])  # type: ignore[arg-type]


@ON_POSTGRESQL
def test_a_request_left_to_other_processes_wakes_their_workers_at_once(
    wakeups: Wakeups, recorder: Callable[[str | None], InboundRecorder]
) -> None:
    web = recorder(None)
    woken, seconds = waited_while(wakeups, lambda: web.record(command("first")), LONG)
    assert woken is True and seconds < 5
    # A second wait does not see the first notification again.
    assert wakeups.wait(0.5) is False


@ON_POSTGRESQL
def test_a_request_a_process_keeps_for_its_own_workers_wakes_nobody(
    wakeups: Wakeups, recorder: Callable[[str | None], InboundRecorder]
) -> None:
    both = recorder("process-that-works-it")
    woken, seconds = waited_while(wakeups, lambda: both.record(command("own")), 2.0)
    assert woken is False and seconds >= 2.0


@ON_POSTGRESQL
def test_a_listener_whose_connection_broke_listens_again(
    wakeups: Wakeups, recorder: Callable[[str | None], InboundRecorder]
) -> None:
    web = recorder(None)
    assert wakeups.wait(0.1) is False
    wakeups._listening.close()  # as a database restart would
    assert wakeups.wait(0.1) is False
    woken, _ = waited_while(wakeups, lambda: web.record(command("after the break")), LONG)
    assert woken is True


def test_on_sqlite_a_wait_is_the_interval_and_nothing_else() -> None:
    wakeups = Wakeups(create_db_engine("sqlite://"))
    began = time.monotonic()
    assert wakeups.listens is False
    assert wakeups.wait(0.2) is False
    assert time.monotonic() - began >= 0.2
