"""The kickoff's posts reach Slack once, even when the bot dies right after acknowledging.

As in test_effects_kill: the emulator takes the post but holds its answer, the process is killed while
it waits, and a new process on the same database takes the dead one's outbox items over, finds the post
by its idempotency key instead of posting again, and carries out what had not reached Slack yet.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy import text

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import AgreementsBlocks
from tests.factories import INTRO_FORM
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import all_done
from tests.scheduler.killing import outbox
from tests.scheduler.killing import posted_once
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS

MEMBER = MEMBERS[0]


def intro_card_ts(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(text("SELECT card_ts FROM intro")).scalar_one_or_none()


def test_an_intro_card_and_the_agreements_reach_slack_once_across_a_kill_after_each_ack(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    # The intro card reaches Slack, but its answer is held until after the kill.
    emulator.delay_next("chat.postMessage", 20)
    driver.slash_command("intro", user_id=MEMBER, channel_id=CHANNEL)
    submit(driver, emulator, MEMBER, INTRO_FORM)
    assert wait_until(lambda: posted_once(emulator, "intro-card-1"), timeout=10), bot.log_tail()
    bot.restart()
    assert wait_until(lambda: intro_card_ts(engine) is not None, TAKEOVER), bot.log_tail()
    [card] = posts_with_key(emulator, "intro-card-1")
    assert intro_card_ts(engine) == card["ts"]

    # The first agreements: posted, and the process dies while the post waits for Slack's answer.
    driver.slash_command("afspraken", user_id=FACILITATOR, channel_id=CHANNEL)
    emulator.delay_next("chat.postMessage", 20)
    submit(driver, emulator, FACILITATOR, {AgreementsBlocks.TEXT: "Vertrouwelijk\nOp tijd komen"})
    assert wait_until(lambda: posted_once(emulator, "agreements-1"), timeout=10), bot.log_tail()
    bot.restart()

    # Every item, the set-up's welcome too.
    assert wait_until(lambda: all_done(engine, but=()), TAKEOVER), (outbox(engine, but=()), bot.log_tail())
    assert len(posts_with_key(emulator, "intro-card-1")) == 1
    assert len(posts_with_key(emulator, "agreements-1")) == 1
    # The group of three is under the guideline: the facilitator got one note about it.
    notes = emulator.messages(emulator.dm_channel_id(FACILITATOR))
    assert len(notes) == 1, notes
