"""The demo's closing act: a member asks for the summary; it is printed as the channel shows it, and
the chart that came with it is written to a file whose path is printed."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from bot.sandbox.render import render_message
from bot.summary_post import CHART_FILENAME

if TYPE_CHECKING:
    from bot.demo import Stage


def chart_path(language: str) -> Path:
    """Where the demo leaves the chart: outside its own temporary folder, so it can be opened after."""
    return Path(tempfile.gettempdir()) / f"netwerkbot-demo-{language}-{CHART_FILENAME}"


def summary_act(stage: Stage) -> None:
    from bot.demo import CHANNEL_ID as DEMO_CHANNEL_ID
    from bot.demo import DEMO_TIMEZONE

    texts = stage.texts
    emulator = stage.emulator
    member = stage.member_ids[0]
    stage.say(texts("summary.demo.asks", person=stage.names[member]))
    before = {m["ts"] for m in emulator.messages(DEMO_CHANNEL_ID)}
    stage.command(member, "samenvatting" if texts.language == "nl" else "summary")

    posted = [
        m
        for m in emulator.messages(DEMO_CHANNEL_ID)
        if m["ts"] not in before and m.get("user") == emulator.bot_user_id
    ]
    for message in posted:
        stage.say(textwrap.indent(render_message(emulator, message, tz=DEMO_TIMEZONE), "    "))
        stage.say()
    facilitator = stage.facilitator_id
    for note in emulator.ephemerals(DEMO_CHANNEL_ID, facilitator)[-1:]:
        stage.say(texts("summary.demo.privately", person=stage.names[facilitator]))
        stage.say(textwrap.indent(render_message(emulator, note, tz=DEMO_TIMEZONE), "    "))
        stage.say()

    charts = [f for f in emulator.files.values() if f.get("name") == CHART_FILENAME]
    if charts:
        path = chart_path(texts.language)
        path.write_bytes(charts[-1]["content"])
        stage.say(texts("summary.demo.chart", path=str(path)))
    else:
        stage.say(texts("summary.demo.no_chart"))
    stage.say()
