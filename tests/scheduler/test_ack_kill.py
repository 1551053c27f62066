"""What Slack was told is received gets done once, even when the process dies right after acknowledging.

The first process records and acknowledges every request and works none (SERVING=held), as a process
killed between the acknowledgement and the work; it is killed. A new process on the same database takes
the recorded requests over once the dead one stopped beating, and works each once: a command's answer,
a click's write, an event's, even when Slack re-delivers the event meanwhile.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy import text

from bot.clock import SystemClock
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.status import format_status
from bot.status import read_status
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR

NEWCOMER = "U0NIEUW"


def recorded(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM inbound_request")).scalar_one())


def memberships_of(engine: Engine, user_id: str) -> int:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM membership WHERE user_id = :user_id")
        return int(connection.execute(query, {"user_id": user_id}).scalar_one())


def test_requests_acknowledged_by_a_process_that_died_are_worked_once_by_the_next(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    emulator.add_user(NEWCOMER, "nieuw", locale="nl-BE")
    bot.kill()
    bot.start("held")
    assert driver.slash_command("help", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    assert driver.join_channel(NEWCOMER, CHANNEL).status == 200
    assert driver.redeliver(retry_num=1).status == 200
    # Acknowledged and recorded (the re-delivery once), and nothing done yet.
    assert recorded(engine) == 2, bot.log_tail()
    shown = format_status(read_status(engine, SystemClock()))
    assert "requests acknowledged, not yet worked: 2" in shown, shown
    assert "  command: 1," in shown and "  event_callback: 1," in shown, shown
    assert emulator.ephemerals(CHANNEL, FACILITATOR) == []
    assert memberships_of(engine, NEWCOMER) == 0

    bot.kill()
    bot.start()
    assert wait_until(lambda: recorded(engine) == 0, TAKEOVER), bot.log_tail()
    assert wait_until(lambda: len(emulator.ephemerals(CHANNEL, FACILITATOR)) == 1, 10), bot.log_tail()
    assert memberships_of(engine, NEWCOMER) == 1
    # Slack re-delivers once more, after the work: still once.
    assert driver.redeliver(retry_num=2).status == 200
    bot.stop()
    assert len(emulator.ephemerals(CHANNEL, FACILITATOR)) == 1
    assert memberships_of(engine, NEWCOMER) == 1
    assert recorded(engine) == 0


def test_a_web_process_acknowledges_and_a_worker_process_works(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    bot.kill()
    bot.start("web")
    worker = BotProcess(emulator, str(engine.url.render_as_string(hide_password=False)), bot.logs)
    worker.runs = 100
    worker.start("worker")
    try:
        assert driver.slash_command("help", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
        assert wait_until(lambda: len(emulator.ephemerals(CHANNEL, FACILITATOR)) == 1, 10), worker.log_tail()
        assert wait_until(lambda: recorded(engine) == 0, 10)
    finally:
        worker.stop()
