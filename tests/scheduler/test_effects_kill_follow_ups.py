"""A follow-up question reaches its case's owner once, even when the process asking it is SIGKILLed.

As in test_effects_kill: a real bot process; the case is closed through it with a plan to try. The weeks
until the look-back day pass in the database (the process reads the system clock); the process's timed
work claims the question and posts it, the emulator holds the answer, and the process is killed while it
waits. A new process neither claims it again nor posts it twice: it takes the dead one's outbox item over
once its lease has run out and finds the question by its key in the owner's DM.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy import text
from sqlalchemy import update
from sqlmodel import Session

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CaseActions
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import FollowUpCloseBlocks
from storage.models import CaseFollowUp
from tests.factories import CASE_FORM
from tests.scheduler.killing import TAKEOVER
from tests.scheduler.killing import BotProcess
from tests.scheduler.killing import all_done
from tests.scheduler.killing import outbox
from tests.scheduler.killing import posts_with_key
from tests.scheduler.killing import press
from tests.scheduler.killing import submit
from tests.scheduler.killing import wait_until
from tests.scheduler.test_effects_kill import OWNER
from tests.scheduler.workspace import CHANNEL

QUESTION_KEY = "follow-up-ask-1-1"


def questions(emulator: SlackEmulator) -> list[dict]:
    return [
        message
        for message in emulator.messages(emulator.dm_channel_id(OWNER))
        if ((message.get("metadata") or {}).get("event_payload") or {}).get("key") == QUESTION_KEY
    ]


def test_the_follow_up_question_is_asked_once_across_a_kill_while_it_is_posted(
    emulator: SlackEmulator, engine: Engine, bot: BotProcess, driver: SlackDriver
) -> None:
    driver.slash_command(command="/case", user_id=OWNER, channel_id=CHANNEL)
    submit(driver, emulator, OWNER, CASE_FORM)
    assert wait_until(lambda: len(posts_with_key(emulator, "case-card-1")) == 1, timeout=10), bot.log_tail()
    [card] = posts_with_key(emulator, "case-card-1")
    press(driver, OWNER, CaseActions.CLOSE, card, value="1")
    submit(
        driver,
        emulator,
        OWNER,
        {CaseCloseBlocks.LESSON: "Bellen werkt beter.", FollowUpCloseBlocks.PLAN: "Zelf bellen."},
    )
    assert wait_until(lambda: _follow_up_state(engine) == "pending", timeout=10), bot.log_tail()

    # Three weeks pass; the question lands in the owner's DM, its answer held until after the kill.
    emulator.delay_next("chat.postMessage", 20)
    with Session(engine) as session:
        session.execute(update(CaseFollowUp).values(due_at=datetime.now(UTC) - timedelta(minutes=1)))
        session.commit()
    assert wait_until(lambda: len(questions(emulator)) == 1, timeout=10), bot.log_tail()
    bot.restart()

    assert wait_until(lambda: all_done(engine), TAKEOVER), (outbox(engine), bot.log_tail())
    assert QUESTION_KEY in outbox(engine)
    assert len(questions(emulator)) == 1
    assert _follow_up_state(engine) == "asked"


def _follow_up_state(engine: Engine) -> str | None:
    with engine.connect() as connection:
        row = connection.execute(text("SELECT state, asked_count FROM case_follow_up")).first()
    if row is None:
        return None
    assert row[1] <= 1, "asked more than once"
    return str(row[0])
