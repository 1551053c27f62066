"""What every act of the demo shares: the cast, the channel, and the stage they play on.

The acts import this module and nothing imports the acts but `bot.demo.play`, so the demo has no
import cycle.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import TextIO

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.i18n import Texts
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import render_message
from bot.sandbox.render import render_view
from bot.views.ids import VALUE_ACTION

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
# In a demo played in English or French, the whole cast reads Slack in that language.
_CAST_LOCALES = {"en": "en-GB", "fr": "fr-BE"}


def cast_locale(language: str, own_locale: str) -> str:
    """The Slack locale a person of the cast has in a demo played in `language`."""
    return _CAST_LOCALES.get(language, own_locale)


@dataclass
class Stage:
    """What every act plays with: the workspace, the bot, the texts, and a way to narrate."""

    emulator: SlackEmulator
    bot: LocalBot
    texts: Texts
    out: TextIO
    names: dict[str, str]
    clock: ManualClock | None = None
    """The bot's clock, which an act moves on to show what comes weeks later."""

    @property
    def facilitator_id(self) -> str:
        return FACILITATOR[0]

    @property
    def member_ids(self) -> list[str]:
        return [member[0] for member in MEMBERS]

    @property
    def everyone(self) -> list[str]:
        """The facilitator first, then the members, in the order they appear."""
        return [self.facilitator_id, *self.member_ids]

    @property
    def dutch(self) -> bool:
        """Whether people type the Dutch subcommand names, as the help lists them in Dutch and French."""
        return self.texts.language != "en"

    @property
    def driver(self) -> SlackDriver:
        assert self.bot.driver is not None, "the bot is not started"
        return self.bot.driver

    def say(self, line: str = "") -> None:
        print(line, file=self.out)

    def say_heading(self, heading: str, *, rule: str = "-") -> None:
        """`heading` underlined with `rule` to its length, as a plain-text transcript marks a part."""
        self.say(heading)
        self.say(rule * len(heading))

    def show_message(self, message: dict[str, Any]) -> None:
        """A message as the channel shows it, indented under the narration."""
        self.say(textwrap.indent(render_message(self.emulator, message, tz=DEMO_TIMEZONE), "    "))

    def command(self, user_id: str, text: str, *, command: str = "/netwerk") -> None:
        """A person types a slash command; what only they see is shown beneath."""
        self.say(self.texts("demo.types", person=self.names[user_id], command=f"{command} {text}".strip()))
        before = len(self.emulator.ephemerals(user_id=user_id))
        self.bot.command(text, user_id=user_id, channel_id=CHANNEL_ID, command=command)
        for entry in self.emulator.ephemerals(user_id=user_id)[before:]:
            self.show_message(entry)
        self.say()

    def facilitator_types(self, narration: str, dutch: str, english: str) -> None:
        """The narration's catalog line about the facilitator, then their `/netwerk <dutch>` (its English
        alias in an English demo)."""
        facilitator = self.facilitator_id
        self.say(self.texts(narration, person=self.names[facilitator]))
        self.command(facilitator, dutch if self.dutch else english)

    def show_open_modal(self, user_id: str) -> None:
        view = self.emulator.open_view(user_id)
        if view is not None:
            self.say(self.texts("demo.sees_modal", person=self.names[user_id]))
            self.say(textwrap.indent(render_view(view), "    "))

    def submit(self, user_id: str, form: dict[str, Any]) -> None:
        """A person fills in their open modal (block id → value) and submits it."""
        self.bot.submit_view(user_id, {block: {VALUE_ACTION: value} for block, value in form.items()})

    def click(self, user_id: str, action_id: str, *, message_ts: str, block_id: str | None = None) -> None:
        """A person clicks a button in a channel message; the bot finishes what it was asked."""
        self.driver.block_action(
            user_id=user_id,
            action_id=action_id,
            block_id=block_id,
            channel_id=CHANNEL_ID,
            message_ts=message_ts,
        )
        self.bot.settle()

    def click_narrated(self, user_id: str, action_id: str, button_key: str, *, message_ts: str) -> None:
        """As `click`, told first: the person clicks the button the catalog's `button_key` labels."""
        button = self.texts(button_key)
        self.say(self.texts("cases.demo.clicks", person=self.names[user_id], button=button))
        self.click(user_id, action_id, message_ts=message_ts)

    def show_private(self, user_id: str, action: Callable[[], object]) -> None:
        """Do `action`, wait for the bot, and show what only `user_id` was told because of it."""
        before = len(self.emulator.ephemerals(user_id=user_id))
        action()
        self.bot.settle()
        for entry in self.emulator.ephemerals(user_id=user_id)[before:]:
            self.show_message(entry)
        self.say()

    def message_with(self, action_id: str) -> dict[str, Any]:
        """The newest message in the channel with a button or select of `action_id`."""
        for message in reversed(self.emulator.messages(CHANNEL_ID)):
            for block in message.get("blocks") or []:
                elements = [block.get("accessory") or {}, *(block.get("elements") or [])]
                if any(element.get("action_id") == action_id for element in elements):
                    return message
        raise LookupError(f"no message with {action_id} in the channel")

    def message_with_text(self, text: str) -> dict[str, Any]:
        """The newest message in the channel that says `text`."""
        for message in reversed(self.emulator.messages(CHANNEL_ID)):
            if text in str(message.get("blocks") or message.get("text")):
                return message
        raise LookupError(f"no message saying {text!r} in the channel")

    def bot_messages(self) -> list[dict[str, Any]]:
        """The bot's own messages in the channel, oldest first."""
        return [m for m in self.emulator.messages(CHANNEL_ID) if m.get("user") == self.emulator.bot_user_id]


Act = Callable[[Stage], None]
