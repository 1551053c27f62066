"""`python -m bot demo`: a learning network's kickoff, played against the sandbox and printed.

Everything runs for real (the bot's HTTP server, signed requests, the Web API through slack_sdk) on
loopback, with a temporary SQLite database; nothing is kept afterwards. The demo is a series of acts,
one per part of the bot, each playing on the same stage in turn.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.clock import ManualClock
from bot.demo.cases import cases_act
from bot.demo.charter import charter_act
from bot.demo.checkins import checkins_act
from bot.demo.follow_ups import follow_ups_act
from bot.demo.harness import LocalBot
from bot.demo.journey import journey_act
from bot.demo.kickoff import kickoff_act
from bot.demo.pairs import pairs_act
from bot.demo.safe import safe_act
from bot.demo.shortcuts import shortcuts_act
from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import CHANNEL_NAME
from bot.demo.stage import DEMO_TIMEZONE
from bot.demo.stage import FACILITATOR
from bot.demo.stage import MEMBERS
from bot.demo.stage import Act
from bot.demo.stage import Stage
from bot.demo.stage import cast_locale
from bot.demo.start import start_act
from bot.demo.summary import summary_act
from bot.demo.thermometer import thermometer_act
from bot.demo.wrap_up import wrap_up_act
from bot.i18n import Texts
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import render_channel

ACTS: tuple[Act, ...] = (
    start_act,
    kickoff_act,
    cases_act,
    checkins_act,
    journey_act,
    thermometer_act,
    summary_act,
    safe_act,
    follow_ups_act,
    pairs_act,
    charter_act,
    shortcuts_act,
    wrap_up_act,
)


def run_demo(*, language: str = "nl", out: TextIO | None = None, acts: tuple[Act, ...] = ACTS) -> int:
    out = out or sys.stdout
    texts = Texts(language)
    emulator = SlackEmulator()
    emulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="netwerkbot-demo-") as folder:
            _play(emulator, texts, database_url=f"sqlite:///{Path(folder) / 'demo.db'}", out=out, acts=acts)
    finally:
        emulator.stop()
    return 0


def _play(
    emulator: SlackEmulator, texts: Texts, *, database_url: str, out: TextIO, acts: tuple[Act, ...]
) -> None:
    people = (FACILITATOR, *MEMBERS)
    for user_id, handle, real_name, locale in people:
        emulator.add_user(user_id, handle, real_name=real_name, locale=cast_locale(texts.language, locale))
    emulator.add_channel(CHANNEL_ID, CHANNEL_NAME, members=[person[0] for person in people])
    # The bot's time moves only when an act moves it: the follow-up comes weeks after its case closed.
    clock = ManualClock(datetime.now(UTC))
    with LocalBot(emulator, database_url=database_url, language=texts.language, clock=clock) as bot:
        names = {p[0]: p[2] for p in people}
        stage = Stage(emulator=emulator, bot=bot, texts=texts, out=out, names=names, clock=clock)
        stage.say_heading(texts("demo.title"), rule="=")
        stage.say()
        for act in acts:
            act(stage)
        stage.say_heading(texts("demo.channel", channel=CHANNEL_NAME))
        stage.say(render_channel(emulator, CHANNEL_ID, include_ephemerals=False, tz=DEMO_TIMEZONE))
        stage.say(texts("demo.done"))
