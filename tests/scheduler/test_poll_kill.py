"""The bot process is killed (SIGKILL) while a poll is open, and started again.

A real process serves the Slack requests and runs the scheduler; the emulator plays Slack on the other
side. The reactions Slack could not deliver while the process was gone come again after the restart, with
Slack's retry headers, as does one it had delivered but never saw acknowledged. The poll must still close
at its closing time, with every reaction counted exactly once.
"""

from __future__ import annotations

import urllib.error
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy import text

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.services.checkin_common import SCALE
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import wait_until
from tests.scheduler.test_leadership import polls
from tests.scheduler.test_leadership import posts_but_the_welcome
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS

OWNER, ADVISER = MEMBERS
CLOSES_IN = timedelta(seconds=3)
"""From when the restarted process has counted the re-delivered reactions: enough to see no early close."""


def counted(engine: Engine) -> dict[str, int]:
    """How many respondents answered with each emoji, as stored."""
    with engine.connect() as connection:
        found = connection.execute(text("SELECT emoji, count(*) FROM checkin_reaction GROUP BY emoji"))
        return {str(emoji): int(number) for emoji, number in found}


def poll_status(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT status FROM checkin_poll")).scalar_one())


def results_in_thread(emulator: SlackEmulator, poll_ts: str) -> list[dict]:
    return [m for m in emulator.replies(CHANNEL, poll_ts) if m.get("ts") != poll_ts]


def test_a_poll_closes_on_time_with_every_reaction_counted_once_across_a_kill_and_a_restart(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    best, good, neutral = SCALE[:3]

    def react(user_id: str, emoji: str, event_id: str) -> None:
        emulator.add_reaction(CHANNEL, poll["ts"], emoji, user_id)
        driver.event(driver.reaction_added(user_id, emoji, CHANNEL, poll["ts"]), event_id=event_id)

    assert driver.slash_command("peiling", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    assert wait_until(lambda: len(polls(emulator)) == 1, timeout=10), bot.log_tail()
    [poll] = polls(emulator)
    # Members react once the bot has written down where its poll is (a reaction in the instant
    # between the two is counted by the closing, from the message, not by its event).
    assert wait_until(lambda: poll_status(engine) == "open", timeout=10), bot.log_tail()

    react(FACILITATOR, best, "EvBEFORE1")
    react(OWNER, good, "EvBEFORE2")
    assert wait_until(lambda: counted(engine) == {best: 1, good: 1}, timeout=10), bot.log_tail()
    bot.kill()
    # Slack finds nobody at the address: it will deliver this one again later.
    with pytest.raises(urllib.error.URLError):
        react(ADVISER, neutral, "EvWHILEDOWN")
    bot.start()

    assert driver.redeliver("EvWHILEDOWN", retry_num=1, retry_reason="http_error").status == 200
    # Delivered and counted before the kill, but Slack never saw that answer: it sends it again.
    assert driver.redeliver("EvBEFORE2", retry_num=1, retry_reason="http_timeout").status == 200
    # Counted once each from the events alone, before the closing reads the message's reactions.
    assert wait_until(lambda: counted(engine) == {best: 1, good: 1, neutral: 1}, timeout=10), bot.log_tail()
    # The poll, open across the kill, is due to close in a moment: the restarted process must do it.
    closes_at = datetime.now(UTC) + CLOSES_IN
    with engine.begin() as connection:
        connection.execute(text("UPDATE checkin_poll SET closes_at = :at"), {"at": closes_at})
    assert not results_in_thread(emulator, poll["ts"]), "closed before its time"

    assert wait_until(lambda: bool(results_in_thread(emulator, poll["ts"])), timeout=15), bot.log_tail()
    [results] = results_in_thread(emulator, poll["ts"])
    posted_at = datetime.fromtimestamp(float(results["ts"]), tz=UTC)
    assert closes_at <= posted_at < closes_at + timedelta(seconds=3), (closes_at, posted_at)
    assert counted(engine) == {best: 1, good: 1, neutral: 1}
    body = str(results.get("blocks"))
    assert "3 van de 3 leden antwoordden" in body, body
    assert len(posts_but_the_welcome(emulator)) == 2  # the poll, and its results once
    assert wait_until(lambda: poll_status(engine) == "closed", timeout=5), bot.log_tail()
