"""The demo's act of getting to know each other: the facilitator starts the pairing rounds, and the
first round's group DMs are shown as their members read them."""

from __future__ import annotations

from bot import jobs
from bot.demo.stage import Stage
from bot.views.ids import PairsBlocks


def pairs_act(stage: Stage) -> None:
    texts = stage.texts
    emulator = stage.emulator
    facilitator = stage.facilitator_id
    stage.command(facilitator, "kennismaking" if stage.dutch else "pairs")
    stage.show_open_modal(facilitator)
    stage.show_private(facilitator, lambda: stage.submit(facilitator, {PairsBlocks.EVERY_WEEKS: "2"}))

    # The round falls due at once; the demo runs the scheduler's sweep now instead of waiting a minute.
    runtime = stage.bot.runtime
    context = jobs.context_of(runtime.scheduling.runtime) if runtime is not None else None
    if context is not None:
        jobs.make_due_pairing_rounds(context)
        stage.bot.settle()
    groups = [(cid, c) for cid, c in emulator.channels.items() if c.get("is_mpim")]
    for channel_id, channel in groups:
        names = ", ".join(stage.names.get(m, m) for m in channel["members"] if m in stage.names)
        stage.say(texts("pairs.demo.group", people=names))
        for message in emulator.messages(channel_id):
            stage.show_message(message)
        stage.say()
    if not groups:
        stage.say(texts("pairs.demo.none"))
        stage.say()
