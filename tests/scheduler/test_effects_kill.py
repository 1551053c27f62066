"""What Slack was told is done gets done once, even when the bot dies right after acknowledging.

A real bot process serves the requests; the emulator takes each post but holds its answer, and the
process is killed (SIGKILL) while it waits: the post is in Slack, the bot never heard so. A new process on
the same database takes the dead one's outbox items over once its lease has run out, finds the posts by
their idempotency keys instead of posting again, and carries out what had not reached Slack yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bot.clock import ManualClock
from bot.demo.harness import SANDBOX_SIGNING_SECRET
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import VALUE_ACTION, CaseActions, CaseAdviceBlocks, CaseCloseBlocks, CaseIntakeBlocks
from tests.scheduler.conftest import CHANNEL, MEMBERS
from tests.scheduler.test_leadership import start_network, wait_until
from tests.scheduler.test_poll_kill import BotProcess
from tests.scheduler.test_poll_kill import engine as engine  # a fixture

OWNER, ADVISER = MEMBERS
TAKEOVER = 30.0
"""Seconds to wait for a new process to finish a dead one's items (its lease is 3 s in these processes)."""

CASE_FORM: dict[str, Any] = {
    CaseIntakeBlocks.TITLE: "Ouders die niet opdagen",
    CaseIntakeBlocks.SITUATION: "Drie keer op rij kwam niemand naar het oudergesprek.",
    CaseIntakeBlocks.QUESTION: "Hoe krijg ik ouders wel aan tafel?",
    CaseIntakeBlocks.TRIED: "",
    CaseIntakeBlocks.HELP_WANTED: ["advice"],
    CaseIntakeBlocks.CONFIDENTIAL: [],
}


def form(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block_id: {VALUE_ACTION: value} for block_id, value in values.items()}


def posts_with_key(emulator: SlackEmulator, key: str) -> list[dict]:
    """Every message in the channel and its threads that the bot posted under `key`."""
    found = []
    for message in emulator.messages(CHANNEL):
        for posted in [message, *emulator.replies(CHANNEL, message["ts"])]:
            if ((posted.get("metadata") or {}).get("event_payload") or {}).get("key") == key:
                found.append(posted)
    return found


def outbox(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, status FROM outbox_item WHERE kind <> 'case.refresh'"))
        return {str(key): str(status) for key, status in rows}


def submit(driver: SlackDriver, emulator: SlackEmulator, user_id: str, values: dict[str, Any]) -> None:
    assert wait_until(lambda: emulator.open_view(user_id) is not None, timeout=10)
    assert driver.submit_view(user_id, form(values)).status == 200


def test_a_case_its_advice_and_its_lesson_reach_slack_once_across_a_kill_after_each_ack(
    database_url: str, emulator: SlackEmulator, engine: Engine, tmp_path: Path
) -> None:
    start_network(database_url, ManualClock(datetime.now(UTC) - timedelta(days=1)))
    bot = BotProcess(emulator, database_url, tmp_path)
    driver = SlackDriver(bot.events_url, SANDBOX_SIGNING_SECRET, emulator)
    try:
        bot.start()
        # The card reaches Slack, but its answer is held until after the kill.
        emulator.delay_next("chat.postMessage", 20)
        driver.slash_command(command="/case", user_id=OWNER, channel_id=CHANNEL)
        submit(driver, emulator, OWNER, CASE_FORM)
        assert wait_until(lambda: len(posts_with_key(emulator, "case-card-1")) == 1, timeout=10), (
            bot.log_tail()
        )
        bot.kill()
        bot.start()
        assert wait_until(lambda: len(posts_with_key(emulator, "case-details-1")) == 1, TAKEOVER), (
            bot.log_tail()
        )
        [card] = posts_with_key(emulator, "case-card-1")

        # Advice through the modal: acknowledged, and the process dies while its post waits for Slack.
        emulator.delay_next("chat.postMessage", 20)
        driver.block_action(
            user_id=ADVISER,
            action_id=CaseActions.GIVE_ADVICE,
            channel_id=CHANNEL,
            message_ts=card["ts"],
            value="1",
        )
        submit(driver, emulator, ADVISER, {CaseAdviceBlocks.ADVICE: "Bel ze op, schrijf niet."})
        assert wait_until(lambda: len(posts_with_key(emulator, "case-advice-1")) == 1, timeout=10), (
            bot.log_tail()
        )
        bot.kill()
        # Closing with a lesson, on a new process: the same.
        bot.start()
        driver.block_action(
            user_id=OWNER, action_id=CaseActions.CLOSE, channel_id=CHANNEL, message_ts=card["ts"], value="1"
        )
        emulator.delay_next("chat.postMessage", 20)
        submit(driver, emulator, OWNER, {CaseCloseBlocks.LESSON: "Bellen werkt beter dan brieven."})
        assert wait_until(lambda: len(posts_with_key(emulator, "case-lesson-1")) == 1, timeout=10), (
            bot.log_tail()
        )
        bot.kill()
        bot.start()

        assert wait_until(lambda: outbox(engine) and set(outbox(engine).values()) == {"done"}, TAKEOVER), (
            outbox(engine),
            bot.log_tail(),
        )
        for key in ("case-card-1", "case-details-1", "case-advice-1", "case-lesson-1"):
            assert len(posts_with_key(emulator, key)) == 1, key
        card_now = next(m for m in emulator.messages(CHANNEL) if m["ts"] == card["ts"])
        assert "Afgesloten" in str(card_now.get("blocks")) or "afgesloten" in str(card_now.get("blocks"))
    finally:
        bot.stop()
