"""`python -m bot demo`: a learning network's kickoff, played against the sandbox and printed.

Everything runs for real (the bot's HTTP server, signed requests, the Web API through slack_sdk) on
loopback, with a temporary SQLite database; nothing is kept afterwards. The demo is a series of acts,
one per part of the bot, each playing on the same stage in turn.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.demo_cases import cases_act
from bot.demo_checkins import checkins_act
from bot.demo_kickoff import kickoff_act
from bot.demo_summary import summary_act
from bot.i18n import Texts
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.harness import LocalBot
from bot.sandbox.render import render_channel, render_message, render_view
from bot.views.ids import VALUE_ACTION, StartNetworkBlocks

CHANNEL_ID = "C0JEUGDHULP"
CHANNEL_NAME = "lerend-netwerk-jeugdhulp"
DEMO_TIMEZONE = "Europe/Brussels"
FACILITATOR = ("U0ELS", "els", "Els Peeters", "nl-BE")
MEMBERS = (
    ("U0JOKE", "joke", "Joke Janssens", "nl-BE"),
    ("U0MEHMET", "mehmet", "Mehmet Yılmaz", "nl-NL"),
    ("U0SARAH", "sarah", "Sarah Dubois", "nl-BE"),
    ("U0PIETER", "pieter", "Pieter de Vries", "nl-NL"),
    ("U0ANN", "ann", "Ann Claes", "nl-BE"),
    ("U0SAM", "sam", "Sam Carter", "en-GB"),
    ("U0LIES", "lies", "Lies Wouters", "nl-BE"),
    ("U0BRAM", "bram", "Bram Jacobs", "nl-BE"),
    ("U0FATIMA", "fatima", "Fatima El Amrani", "nl-NL"),
    ("U0KOEN", "koen", "Koen Maes", "nl-BE"),
    ("U0NOOR", "noor", "Noor Bakker", "nl-NL"),
)


@dataclass
class Stage:
    """What every act plays with: the workspace, the bot, the texts, and a way to narrate."""

    emulator: SlackEmulator
    bot: LocalBot
    texts: Texts
    out: TextIO
    names: dict[str, str]

    @property
    def facilitator_id(self) -> str:
        return FACILITATOR[0]

    @property
    def member_ids(self) -> list[str]:
        return [member[0] for member in MEMBERS]

    def say(self, line: str = "") -> None:
        print(line, file=self.out)

    def command(self, user_id: str, text: str, *, command: str = "/netwerk") -> None:
        """A person types a slash command; what only they see is shown beneath."""
        self.say(self.texts("demo.types", person=self.names[user_id], command=f"{command} {text}".strip()))
        before = len(self.emulator.ephemerals(user_id=user_id))
        self.bot.command(text, user_id=user_id, channel_id=CHANNEL_ID, command=command)
        for entry in self.emulator.ephemerals(user_id=user_id)[before:]:
            self.say(textwrap.indent(render_message(self.emulator, entry, tz=DEMO_TIMEZONE), "    "))
        self.say()

    def show_open_modal(self, user_id: str) -> None:
        view = self.emulator.open_view(user_id)
        if view is not None:
            self.say(self.texts("demo.sees_modal", person=self.names[user_id]))
            self.say(textwrap.indent(render_view(view), "    "))

    def submit(self, user_id: str, form: dict[str, Any]) -> None:
        """A person fills in their open modal (block id → value) and submits it."""
        self.bot.submit_view(user_id, {block: {VALUE_ACTION: value} for block, value in form.items()})


Act = Callable[[Stage], None]


def start_act(stage: Stage) -> None:
    """The facilitator asks for help, starts the network; others try again and mistype."""
    texts = stage.texts
    stage.command(stage.facilitator_id, "help")
    stage.command(stage.facilitator_id, "start")
    stage.show_open_modal(stage.facilitator_id)
    stage.say(texts("demo.fills_in", person=stage.names[stage.facilitator_id]))
    stage.say()
    blocks = StartNetworkBlocks
    dutch = texts.language == "nl"
    stage.submit(
        stage.facilitator_id,
        {
            blocks.NAME: "Lerend netwerk jeugdhulp Gent" if dutch else "Youth care network Ghent",
            blocks.GOAL: "Samen sterker worden in moeilijke gesprekken met ouders en jongeren."
            if dutch
            else "Growing stronger together in difficult conversations with parents and young people.",
            blocks.ORIGIN: "organised",
            blocks.COMPOSITION: "same_role",
            blocks.LANGUAGE: texts.language,
            blocks.TIMEZONE: DEMO_TIMEZONE,
        },
    )
    stage.command(stage.member_ids[0], "start")
    stage.command(stage.member_ids[1], "fietsen")


ACTS: tuple[Act, ...] = (start_act, kickoff_act, cases_act, checkins_act, summary_act)


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
        emulator.add_user(
            user_id, handle, real_name=real_name, locale=locale if texts.language == "nl" else "en-GB"
        )
    emulator.add_channel(CHANNEL_ID, CHANNEL_NAME, members=[person[0] for person in people])
    with LocalBot(emulator, database_url=database_url, language=texts.language) as bot:
        stage = Stage(emulator=emulator, bot=bot, texts=texts, out=out, names={p[0]: p[2] for p in people})
        title = texts("demo.title")
        stage.say(title)
        stage.say("=" * len(title))
        stage.say()
        for act in acts:
            act(stage)
        heading = texts("demo.channel", channel=CHANNEL_NAME)
        stage.say(heading)
        stage.say("-" * len(heading))
        stage.say(render_channel(emulator, CHANNEL_ID, include_ephemerals=False, tz=DEMO_TIMEZONE))
        stage.say(texts("demo.done"))
