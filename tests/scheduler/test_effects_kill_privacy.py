"""The summary a member asks for and the archive announcement reach Slack once, even when the bot dies
right after acknowledging.

As in test_effects_kill: a real bot process serves the requests, the emulator takes each post but holds
its answer, and the process is killed (SIGKILL) while it waits. A new process on the same database takes
the dead one's outbox items over once its lease has run out, finds the posts by their idempotency keys
instead of posting again, and carries out what had not reached Slack yet (the facilitator's answer).
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids_privacy import PrivacyActions
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import outbox_items
from tests.scheduler.killing import posted_once
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import press
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS

ARCHIVE_KEY = "privacy/archive/{network_id}"


def summary_posts(emulator: SlackEmulator) -> list[dict]:
    """The summaries in the channel: each posted under its outbox item's key."""
    return [
        message
        for message in emulator.messages(CHANNEL)
        if str(((message.get("metadata") or {}).get("event_payload") or {}).get("key", "")).startswith(
            "summary.post-"
        )
    ]


def confirmations(emulator: SlackEmulator) -> list[dict]:
    """The facilitator's ephemerals with the archive button (the summary's note to them is one too)."""
    return [
        e for e in emulator.ephemerals(CHANNEL, FACILITATOR) if PrivacyActions.ARCHIVE in str(e.get("blocks"))
    ]


def all_done(engine: Engine, kinds: set[str]) -> bool:
    """Whether the outbox holds items of these kinds (at least), and every item in it is done."""
    items = outbox_items(engine)
    return {kind for _, kind, _ in items} >= kinds and {status for _, _, status in items} == {"done"}


def test_the_summary_and_the_archive_announcement_reach_slack_once_across_a_kill_after_each_ack(
    emulator: SlackEmulator, engine: Engine, network_id: int, bot: BotProcess, driver: SlackDriver
) -> None:
    # The summary reaches Slack, but its answer is held until after the kill.
    emulator.delay_next("chat.postMessage", 20)
    driver.slash_command("samenvatting", user_id=MEMBERS[0], channel_id=CHANNEL)
    assert wait_until(lambda: len(summary_posts(emulator)) == 1, timeout=10), bot.log_tail()
    bot.restart()
    assert wait_until(lambda: all_done(engine, {"summary.post"}), TAKEOVER), (
        outbox_items(engine),
        bot.log_tail(),
    )
    assert len(summary_posts(emulator)) == 1

    # Archiving: confirmed, acknowledged, and the process dies while the announcement waits for Slack.
    driver.slash_command("archiveer", user_id=FACILITATOR, channel_id=CHANNEL)
    assert wait_until(lambda: confirmations(emulator) != [], timeout=10), bot.log_tail()
    [confirmation] = confirmations(emulator)
    emulator.delay_next("chat.postMessage", 20)
    press(driver, FACILITATOR, PrivacyActions.ARCHIVE, confirmation, value=str(network_id))
    key = ARCHIVE_KEY.format(network_id=network_id)
    assert wait_until(lambda: posted_once(emulator, key), timeout=10), bot.log_tail()
    bot.restart()

    kinds = {"summary.post", "privacy.archived", "privacy.archive_done"}
    assert wait_until(lambda: all_done(engine, kinds), TAKEOVER), (outbox_items(engine), bot.log_tail())
    assert len(posts_with_key(emulator, key)) == 1
    assert len(summary_posts(emulator)) == 1
    assert "gearchiveerd" in str(emulator.ephemerals(CHANNEL, FACILITATOR)[-1])
