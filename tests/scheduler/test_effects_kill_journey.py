"""A trajectory planned reaches Slack once, and keeps its message, even if the bot dies after the ack.

As in test_effects_kill: a real bot process serves the requests, the emulator takes the plan's post but
holds its answer, and the process is killed (SIGKILL) while it waits. The plan's message is an outbox
item that a new process takes over once the dead one's lease has run out: it finds the post by its key,
keeps its ts, and a later change updates that message in place.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy import text

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import JourneyPlanBlocks
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import all_done
from tests.scheduler.killing import outbox
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR


def plan_form() -> dict[str, str]:
    next_week = datetime.now(ZoneInfo("Europe/Brussels")).date() + timedelta(days=7)
    return {
        JourneyPlanBlocks.COUNT: "3",
        JourneyPlanBlocks.RHYTHM: "monthly",
        JourneyPlanBlocks.FIRST_DAY: next_week.isoformat(),
        JourneyPlanBlocks.START: "13:30",
        JourneyPlanBlocks.END: "16:30",
        JourneyPlanBlocks.PLACE: "Gent",
        JourneyPlanBlocks.LINK: "",
    }


def plan_ts(engine: Engine) -> list[str | None]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT plan_ts FROM journey"))]


def test_a_planned_trajectory_reaches_slack_once_across_a_kill_after_the_ack(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    assert driver.slash_command("traject", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    emulator.delay_next("chat.postMessage", 20)
    submit(driver, emulator, FACILITATOR, plan_form())
    assert wait_until(lambda: len(posts_with_key(emulator, "journey/1/plan")) == 1, timeout=10), (
        bot.log_tail()
    )
    bot.restart()

    assert wait_until(lambda: all_done(engine), TAKEOVER), (outbox(engine), bot.log_tail())
    [plan] = posts_with_key(emulator, "journey/1/plan")
    assert wait_until(lambda: plan_ts(engine) == [plan["ts"]], timeout=10), bot.log_tail()

    # Planned again on the new process: the same message shows the new plan.
    assert driver.slash_command("traject nieuw", user_id=FACILITATOR, channel_id=CHANNEL).status == 200
    submit(driver, emulator, FACILITATOR, {**plan_form(), JourneyPlanBlocks.COUNT: "2"})
    assert wait_until(
        lambda: "2 bijeenkomsten" in str(posts_with_key(emulator, "journey/1/plan")), timeout=10
    )
    assert len(posts_with_key(emulator, "journey/1/plan")) == 1
