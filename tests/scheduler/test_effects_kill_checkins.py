"""A poll asked for, its close and a meeting planned reach Slack once, even if the bot dies after the ack.

As in test_effects_kill: a real bot process serves the requests, the emulator takes each post but holds
its answer, and the process is killed (SIGKILL) while it waits. The manual poll is finished from its
claim (bot.jobs.recover, which finds the post by its key, then the scale is added); the close's results
and the meeting's announcement are outbox items that a new process takes over once the dead one's lease
has run out.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy import text

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.services.checkin_common import SCALE
from bot.views.ids import MeetingPlanBlocks
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import all_done
from tests.scheduler.killing import outbox
from tests.scheduler.killing import posted_once
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.test_leadership import polls
from tests.scheduler.test_poll_kill import poll_status
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR


def meeting_form() -> dict[str, str]:
    next_week = datetime.now(ZoneInfo("Europe/Brussels")).date() + timedelta(days=7)
    return {
        MeetingPlanBlocks.DAY: next_week.isoformat(),
        MeetingPlanBlocks.START: "13:30",
        MeetingPlanBlocks.END: "16:30",
        MeetingPlanBlocks.TOPIC: "Ouders betrekken",
        MeetingPlanBlocks.CASES: "",
    }


def scale_on(emulator: SlackEmulator, ts: str) -> set[str]:
    message = next(m for m in emulator.messages(CHANNEL) if m["ts"] == ts)
    return {reaction["name"] for reaction in message.get("reactions") or []}


def meeting_ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return [int(row[0]) for row in connection.execute(text("SELECT id FROM meeting"))]


def test_a_poll_its_close_and_a_meeting_reach_slack_once_across_a_kill_after_each_ack(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    # The poll reaches Slack, but its answer is held until after the kill.
    emulator.delay_next("chat.postMessage", 20)
    assert driver.slash_command("peiling", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    assert wait_until(lambda: len(polls(emulator)) == 1, timeout=10), bot.log_tail()
    bot.restart()
    assert wait_until(lambda: poll_status(engine) == "open", TAKEOVER), bot.log_tail()
    [poll] = polls(emulator)
    assert scale_on(emulator, poll["ts"]) == set(SCALE)

    # Closed by hand: the results reach the poll's thread, and the process dies before it hears so.
    emulator.delay_next("chat.postMessage", 20)
    assert driver.slash_command("peiling sluiten", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    results_key = f"{poll['metadata']['event_payload']['key']}/results"
    assert wait_until(lambda: posted_once(emulator, results_key), timeout=10), bot.log_tail()

    # A meeting planned on a new process: its announcement lands, and that process dies too.
    bot.restart()
    assert driver.slash_command("sessie", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    emulator.delay_next("chat.postMessage", 20)
    submit(driver, emulator, FACILITATOR, meeting_form())
    assert wait_until(lambda: len(meeting_ids(engine)) == 1, timeout=10), bot.log_tail()
    [meeting_id] = meeting_ids(engine)
    planned_key = f"meeting/{meeting_id}/planned"
    assert wait_until(lambda: posted_once(emulator, planned_key), timeout=10), bot.log_tail()
    bot.restart()

    assert wait_until(lambda: all_done(engine), TAKEOVER), (outbox(engine), bot.log_tail())
    assert set(outbox(engine)) == {results_key, planned_key}
    assert wait_until(lambda: poll_status(engine) == "closed", timeout=10), bot.log_tail()
    assert len(polls(emulator)) == 1
    for key in (results_key, planned_key):
        assert len(posts_with_key(emulator, key)) == 1, key
    closed = next(m for m in emulator.messages(CHANNEL) if m["ts"] == poll["ts"])
    assert "gesloten" in str(closed.get("blocks")).lower()
