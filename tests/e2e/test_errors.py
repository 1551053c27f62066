"""The error boundary: an unexpected failure after the ack still leaves Slack with its 200, and the user
with a clear "try again" in their language."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS


def test_a_failure_right_after_the_ack_keeps_the_ack_and_tells_the_user(
    emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> None:
    # SQLite only: the database is broken by removing its file.
    database = tmp_path / "netwerk.db"
    shutil.copyfile(sqlite_template, database)
    with LocalBot(emulator, database_url=f"sqlite:///{database}", clock=clock) as bot:
        assert bot.runtime is not None and bot.driver is not None
        bot.runtime.engine.dispose()
        database.unlink()

        for _ in range(5):
            response = bot.driver.slash_command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
            bot.settle()
            assert response.status == 200
            assert response.elapsed < 1.0

    answers = [entry["text"] for entry in emulator.ephemerals(user_id=FACILITATOR)]
    assert answers == ["Er ging iets mis aan onze kant. Probeer het zo dadelijk opnieuw."] * 5


def test_a_modal_worked_after_its_trigger_expired_asks_to_try_again(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    # A slow moment on the bot's side: each time Slack looks at its clock five seconds have gone by, so the
    # trigger_id the command brought has expired when the bot opens the case intake with it.
    real_clock = emulator.clock
    moments = itertools.count(real_clock(), 5.0)
    emulator.clock = lambda: next(moments)
    try:
        network.command(
            "Ouders en school", command="/case", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL
        )
    finally:
        emulator.clock = real_clock

    assert emulator.open_view(PARTICIPANTS[0]) is None
    answers = [entry["text"] for entry in emulator.ephemerals(user_id=PARTICIPANTS[0])]
    assert answers == ["Het venster ging niet op tijd open. Probeer het nog eens."]
