"""What Slack was told is done gets done once, even when the bot dies right after acknowledging.

A real bot process serves the requests; the emulator takes each post but holds its answer, and the
process is killed (SIGKILL) while it waits: the post is in Slack, the bot never heard so. A new process on
the same database takes the dead one's outbox items over once its lease has run out, finds the posts by
their idempotency keys instead of posting again, and carries out what had not reached Slack yet.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseCloseBlocks
from tests.factories import CASE_FORM
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import all_done
from tests.scheduler.killing import outbox
from tests.scheduler.killing import posted_once
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import press
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import MEMBERS

OWNER, ADVISER = MEMBERS


def card_posted_as_the_bot_dies(emulator: SlackEmulator, bot: BotProcess, driver: SlackDriver) -> dict:
    """A case is brought; its card reaches Slack, but its answer is held until after the kill. The card."""
    emulator.delay_next("chat.postMessage", 20)
    driver.slash_command(command="/case", user_id=OWNER, channel_id=CHANNEL)
    submit(driver, emulator, OWNER, CASE_FORM)
    assert wait_until(lambda: posted_once(emulator, "case-card-1"), timeout=10), bot.log_tail()
    [card] = posts_with_key(emulator, "case-card-1")
    bot.restart()
    return card


def test_a_case_its_advice_and_its_lesson_reach_slack_once_across_a_kill_after_each_ack(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    card_posted_as_the_bot_dies(emulator, bot, driver)
    assert wait_until(lambda: posted_once(emulator, "case-details-1"), TAKEOVER), bot.log_tail()
    [card] = posts_with_key(emulator, "case-card-1")

    # Advice through the modal: acknowledged, and the process dies while its post waits for Slack.
    emulator.delay_next("chat.postMessage", 20)
    press(driver, ADVISER, CaseActions.GIVE_ADVICE, card, value="1")
    submit(driver, emulator, ADVISER, {CaseAdviceBlocks.ADVICE: "Bel ze op, schrijf niet."})
    assert wait_until(lambda: posted_once(emulator, "case-advice-1"), timeout=10), bot.log_tail()
    # Closing with a lesson, on a new process: the same.
    bot.restart()
    press(driver, OWNER, CaseActions.CLOSE, card, value="1")
    emulator.delay_next("chat.postMessage", 20)
    submit(driver, emulator, OWNER, {CaseCloseBlocks.LESSON: "Bellen werkt beter dan brieven."})
    assert wait_until(lambda: posted_once(emulator, "case-lesson-1"), timeout=10), bot.log_tail()
    bot.restart()

    assert wait_until(lambda: all_done(engine), TAKEOVER), (outbox(engine), bot.log_tail())
    for key in ("case-card-1", "case-details-1", "case-advice-1", "case-lesson-1"):
        assert len(posts_with_key(emulator, key)) == 1, key
    card_now = next(m for m in emulator.messages(CHANNEL) if m["ts"] == card["ts"])
    assert "Afgesloten" in str(card_now.get("blocks")) or "afgesloten" in str(card_now.get("blocks"))


def test_a_card_posted_by_a_process_that_died_is_taken_down_when_its_case_was_deleted_meanwhile(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    # The card reached Slack, the bot died before it kept the card's ts, and its owner deleted the case
    # (from the card, or by being forgotten) before another process took the post over: nobody else
    # knows of that card, so the one who finishes the post takes it down.
    card = card_posted_as_the_bot_dies(emulator, bot, driver)

    press(driver, OWNER, CaseActions.DELETE, card, value="1")

    assert wait_until(lambda: all_done(engine), TAKEOVER), (outbox(engine), bot.log_tail())
    assert posts_with_key(emulator, "case-card-1") == []
    assert posts_with_key(emulator, "case-details-1") == []
