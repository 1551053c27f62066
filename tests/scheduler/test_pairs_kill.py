"""A pairing round is made once and each group greeted once, though the process that made it is killed
(SIGKILL) while Slack holds the answer to the group's post.

A real bot process serves the requests and runs the scheduler (its sweep every 0.2 s); the round falls
due as the facilitator starts the rounds. A new process on the same database finds the round claimed
under its key, takes the dead one's outbox item over, finds the post by its key in the group DM, and
posts nothing twice.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy import text

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views import ids
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import outbox_items
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR


def group_posts(emulator: SlackEmulator) -> list[dict]:
    return [
        message
        for channel_id, channel in emulator.channels.items()
        if channel.get("is_mpim")
        for message in emulator.messages(channel_id)
    ]


def rounds(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM pairing_round")).scalar_one())


def groups_done(engine: Engine) -> bool:
    statuses = {status for _, kind, status in outbox_items(engine) if kind == "pairs.group"}
    return statuses == {"done"}


def test_a_round_is_made_and_greeted_once_across_a_kill_while_slack_holds_the_answer(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    driver.slash_command("kennismaking", user_id=FACILITATOR, channel_id=CHANNEL)
    emulator.delay_next("chat.postMessage", 20)
    submit(driver, emulator, FACILITATOR, {ids.PairsBlocks.EVERY_WEEKS: "1"})
    assert wait_until(lambda: len(group_posts(emulator)) == 1, timeout=10), bot.log_tail()

    bot.restart()
    assert wait_until(lambda: groups_done(engine), TAKEOVER), (outbox_items(engine), bot.log_tail())
    # The new process's sweeps run many times meanwhile: the round stays one, its post too.
    bot.restart()
    assert wait_until(lambda: groups_done(engine), TAKEOVER), (outbox_items(engine), bot.log_tail())
    assert rounds(engine) == 1
    assert len(group_posts(emulator)) == 1
