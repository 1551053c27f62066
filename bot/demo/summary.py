"""The demo's closing act: a member asks for the summary; it is printed as the channel shows it, and
the chart that came with it is written to a file whose path is printed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.i18n import Texts


def chart_path(language: str) -> Path:
    """Where the demo leaves the chart: outside its own temporary folder, so it can be opened after."""
    filename = Texts(language)("summary.chart.filename")
    return Path(tempfile.gettempdir()) / f"netwerkbot-demo-{language}-{filename}"


def summary_act(stage: Stage) -> None:
    texts = stage.texts
    emulator = stage.emulator
    member = stage.member_ids[0]
    stage.say(texts("summary.demo.asks", person=stage.names[member]))
    before = {m["ts"] for m in emulator.messages(CHANNEL_ID)}
    stage.command(member, "samenvatting" if stage.dutch else "summary")

    for message in stage.bot_messages():
        if message["ts"] not in before:
            stage.show_message(message)
            stage.say()
    facilitator = stage.facilitator_id
    for note in emulator.ephemerals(CHANNEL_ID, facilitator)[-1:]:
        stage.say(texts("summary.demo.privately", person=stage.names[facilitator]))
        stage.show_message(note)
        stage.say()

    charts = [f for f in emulator.files.values() if f.get("name") == texts("summary.chart.filename")]
    if charts:
        path = chart_path(texts.language)
        path.write_bytes(charts[-1]["content"])
        stage.say(texts("summary.demo.chart", path=str(path)))
    else:
        stage.say(texts("summary.demo.no_chart"))
    stage.say()
