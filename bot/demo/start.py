"""The demo's opening act: the facilitator asks for help and starts the network; others try and mistype."""

from __future__ import annotations

from bot.demo.stage import DEMO_TIMEZONE, Stage
from bot.views.ids import StartNetworkBlocks


def start_act(stage: Stage) -> None:
    """The facilitator asks for help, starts the network; others try again and mistype."""
    texts = stage.texts
    stage.command(stage.facilitator_id, "help")
    stage.command(stage.facilitator_id, "start")
    stage.show_open_modal(stage.facilitator_id)
    stage.say(texts("demo.fills_in", person=stage.names[stage.facilitator_id]))
    stage.say()
    blocks = StartNetworkBlocks
    dutch = stage.dutch
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
