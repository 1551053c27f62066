"""The sandbox workspace of the scheduler tests, and a real bot process serving it for the SIGKILL tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.demo.harness import SANDBOX_SIGNING_SECRET
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import start_network
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator()
    emulator.start()
    for user in (FACILITATOR, *MEMBERS):
        emulator.add_user(user, user.lower(), locale="nl-BE")
    emulator.add_channel(CHANNEL, "lerend-netwerk", members=[FACILITATOR, *MEMBERS])
    yield emulator
    emulator.stop()


@pytest.fixture
def network_id(database_url: str) -> int:
    """The sandbox workspace's network, set up a day ago."""
    return start_network(database_url, ManualClock(datetime.now(UTC) - timedelta(days=1)))


@pytest.fixture
def bot(network_id: int, emulator: SlackEmulator, database_url: str, tmp_path: Path) -> Iterator[BotProcess]:
    """A bot process serving the network, started; stopped after the test."""
    bot = BotProcess(emulator, database_url, tmp_path)
    try:
        bot.start()
        yield bot
    finally:
        bot.stop()


@pytest.fixture
def driver(bot: BotProcess, emulator: SlackEmulator) -> SlackDriver:
    return SlackDriver(bot.events_url, SANDBOX_SIGNING_SECRET, emulator)
