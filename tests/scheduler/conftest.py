"""The sandbox workspace of the scheduler tests: one network channel, its facilitator and two members."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sandbox.emulator import SlackEmulator

CHANNEL = "C0NETWERK"
FACILITATOR = "U0ELS"
MEMBERS = ("U0JOKE", "U0MEHMET")


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator()
    emulator.start()
    for user in (FACILITATOR, *MEMBERS):
        emulator.add_user(user, user.lower(), locale="nl-BE")
    emulator.add_channel(CHANNEL, "lerend-netwerk", members=[FACILITATOR, *MEMBERS])
    yield emulator
    emulator.stop()
