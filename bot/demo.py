"""`python -m bot demo`: a learning network's kickoff, played against the sandbox and printed.

Everything runs for real (the bot's HTTP server, signed requests, the Web API through slack_sdk) on
loopback, with a temporary SQLite database; nothing is kept afterwards.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path
from typing import TextIO

from bot.i18n import Texts
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.harness import LocalBot
from bot.sandbox.render import render_channel, render_message, render_view
from bot.views.ids import VALUE_ACTION, StartNetworkBlocks

CHANNEL_ID = "C0JEUGDHULP"
DEMO_TIMEZONE = "Europe/Brussels"
CHANNEL_NAME = "lerend-netwerk-jeugdhulp"
FACILITATOR = ("U0ELS", "els", "Els Peeters", "nl-BE")
MEMBERS = (
    ("U0JOKE", "joke", "Joke Janssens", "nl-BE"),
    ("U0MEHMET", "mehmet", "Mehmet Yılmaz", "nl-NL"),
    ("U0SARAH", "sarah", "Sarah Dubois", "nl-BE"),
    ("U0PIETER", "pieter", "Pieter de Vries", "nl-NL"),
    ("U0ANN", "ann", "Ann Claes", "nl-BE"),
    ("U0SAM", "sam", "Sam Carter", "en-GB"),
)


def run_demo(*, language: str = "nl", out: TextIO | None = None) -> int:
    import sys

    out = out or sys.stdout
    texts = Texts(language)
    emulator = SlackEmulator()
    emulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="netwerkbot-demo-") as folder:
            _play(emulator, texts, database_url=f"sqlite:///{Path(folder) / 'demo.db'}", out=out)
    finally:
        emulator.stop()
    return 0


def _play(emulator: SlackEmulator, texts: Texts, *, database_url: str, out: TextIO) -> None:
    facilitator_id, _, facilitator_name, _ = FACILITATOR
    for user_id, handle, real_name, locale in (FACILITATOR, *MEMBERS):
        emulator.add_user(user_id, handle, real_name=real_name, locale=_locale(locale, texts))
    emulator.add_channel(CHANNEL_ID, CHANNEL_NAME, members=[FACILITATOR[0], *(m[0] for m in MEMBERS)])
    names = {user_id: real_name for user_id, _, real_name, _ in (FACILITATOR, *MEMBERS)}

    def say(line: str = "") -> None:
        print(line, file=out)

    def show_private(user_id: str, before: int) -> None:
        for entry in emulator.ephemerals(user_id=user_id)[before:]:
            say(textwrap.indent(render_message(emulator, entry, tz=DEMO_TIMEZONE), "    "))

    def command(user_id: str, text: str) -> None:
        say(texts("demo.types", person=names[user_id], command=f"/netwerk {text}".strip()))
        before = len(emulator.ephemerals(user_id=user_id))
        bot.command(text, user_id=user_id, channel_id=CHANNEL_ID)
        show_private(user_id, before)
        say()

    say(texts("demo.title"))
    say("=" * len(texts("demo.title")))
    say()
    with LocalBot(emulator, database_url=database_url, language=texts.language) as bot:
        command(facilitator_id, "help")

        command(facilitator_id, "start")
        view = emulator.open_view(facilitator_id)
        if view is not None:
            say(texts("demo.sees_modal", person=facilitator_name))
            say(textwrap.indent(render_view(view), "    "))
            say()
        say(texts("demo.fills_in", person=facilitator_name))
        say()
        blocks = StartNetworkBlocks
        form = {
            blocks.NAME: _network_name(texts),
            blocks.GOAL: _goal(texts),
            blocks.ORIGIN: "organised",
            blocks.COMPOSITION: "same_role",
            blocks.LANGUAGE: texts.language,
            blocks.TIMEZONE: "Europe/Brussels",
        }
        bot.submit_view(facilitator_id, {block: {VALUE_ACTION: value} for block, value in form.items()})

        command(MEMBERS[0][0], "start")
        command(MEMBERS[1][0], "fietsen")

        say(texts("demo.channel", channel=CHANNEL_NAME))
        say("-" * len(texts("demo.channel", channel=CHANNEL_NAME)))
        say(render_channel(emulator, CHANNEL_ID, include_ephemerals=False, tz=DEMO_TIMEZONE))
        say()
        say(texts("demo.done"))


def _network_name(texts: Texts) -> str:
    return "Lerend netwerk jeugdhulp Gent" if texts.language == "nl" else "Youth care network Ghent"


def _goal(texts: Texts) -> str:
    if texts.language == "nl":
        return "Samen sterker worden in moeilijke gesprekken met ouders en jongeren."
    return "Growing stronger together in difficult conversations with parents and young people."


def _locale(locale: str, texts: Texts) -> str:
    return locale if texts.language == "nl" else "en-GB"
