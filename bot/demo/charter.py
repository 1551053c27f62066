"""The demo's last act: the charter the bot kept on the channel's canvas while the kickoff went on."""

from __future__ import annotations

import re

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage

_MENTION = re.compile(r"!\[\]\(@(\w+)\)")
_ESCAPE = re.compile(r"\\(.)")


def charter_act(stage: Stage) -> None:
    texts = stage.texts
    markdown = stage.emulator.canvas(CHANNEL_ID)
    stage.say_heading(texts("charter.demo.heading"))
    if markdown is None:
        stage.say(texts("charter.demo.none"))
    else:
        # As a reader sees it: people by name, the escaping of their text gone.
        readable = _MENTION.sub(lambda m: "@" + stage.names.get(m.group(1), m.group(1)), markdown)
        stage.say(_ESCAPE.sub(r"\1", readable).rstrip())
    stage.say()
