"""The kickoff's posts reach Slack once, even when the bot dies right after acknowledging.

As in test_effects_kill: the emulator takes the post but holds its answer, the process is killed while
it waits, and a new process on the same database takes the dead one's outbox items over, finds the post
by its idempotency key instead of posting again, and carries out what had not reached Slack yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from bot.clock import ManualClock
from bot.demo.harness import SANDBOX_SIGNING_SECRET
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import AgreementsBlocks, IntroBlocks
from tests.scheduler.conftest import CHANNEL, FACILITATOR, MEMBERS
from tests.scheduler.test_effects_kill import TAKEOVER, posts_with_key, submit
from tests.scheduler.test_leadership import start_network, wait_until
from tests.scheduler.test_poll_kill import BotProcess
from tests.scheduler.test_poll_kill import engine as engine  # a fixture

MEMBER = MEMBERS[0]
INTRO_FORM = {
    IntroBlocks.JOB_ROLE: "Gezinscoach",
    IntroBlocks.ORGANISATION: "CAW Oost-Vlaanderen",
    IntroBlocks.GIVES: "Tien jaar huisbezoeken",
    IntroBlocks.WANTS: "Omgaan met agressie",
    IntroBlocks.PRACTICE_QUESTION: "",
}


def outbox(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, status FROM outbox_item"))
        return {str(key): str(status) for key, status in rows}


def intro_card_ts(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(text("SELECT card_ts FROM intro")).scalar_one_or_none()


def test_an_intro_card_and_the_agreements_reach_slack_once_across_a_kill_after_each_ack(
    database_url: str, emulator: SlackEmulator, engine: Engine, tmp_path: Path
) -> None:
    start_network(database_url, ManualClock(datetime.now(UTC) - timedelta(days=1)))
    bot = BotProcess(emulator, database_url, tmp_path)
    driver = SlackDriver(bot.events_url, SANDBOX_SIGNING_SECRET, emulator)
    try:
        bot.start()
        # The intro card reaches Slack, but its answer is held until after the kill.
        emulator.delay_next("chat.postMessage", 20)
        driver.slash_command("intro", user_id=MEMBER, channel_id=CHANNEL)
        submit(driver, emulator, MEMBER, INTRO_FORM)
        assert wait_until(lambda: len(posts_with_key(emulator, "intro-card-1")) == 1, timeout=10), (
            bot.log_tail()
        )
        bot.kill()
        bot.start()
        assert wait_until(lambda: intro_card_ts(engine) is not None, TAKEOVER), bot.log_tail()
        [card] = posts_with_key(emulator, "intro-card-1")
        assert intro_card_ts(engine) == card["ts"]

        # The first agreements: posted, and the process dies while the post waits for Slack's answer.
        driver.slash_command("afspraken", user_id=FACILITATOR, channel_id=CHANNEL)
        emulator.delay_next("chat.postMessage", 20)
        submit(driver, emulator, FACILITATOR, {AgreementsBlocks.TEXT: "Vertrouwelijk\nOp tijd komen"})
        assert wait_until(lambda: len(posts_with_key(emulator, "agreements-1")) == 1, timeout=10), (
            bot.log_tail()
        )
        bot.kill()
        bot.start()

        assert wait_until(lambda: outbox(engine) and set(outbox(engine).values()) == {"done"}, TAKEOVER), (
            outbox(engine),
            bot.log_tail(),
        )
        assert len(posts_with_key(emulator, "intro-card-1")) == 1
        assert len(posts_with_key(emulator, "agreements-1")) == 1
        # The group of three is under the guideline: the facilitator got one note about it.
        notes = emulator.messages(emulator.dm_channel_id(FACILITATOR))
        assert len(notes) == 1, notes
    finally:
        bot.stop()
