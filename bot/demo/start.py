"""The demo's opening act: the facilitator asks for help and starts the network; others try and mistype."""

from __future__ import annotations

from bot.demo.stage import DEMO_TIMEZONE
from bot.demo.stage import Stage
from bot.views.ids import StartNetworkBlocks

_NETWORK = {
    "nl": (
        "Lerend netwerk jeugdhulp Gent",
        "Samen sterker worden in moeilijke gesprekken met ouders en jongeren.",
    ),
    "en": (
        "Youth care network Ghent",
        "Growing stronger together in difficult conversations with parents and young people.",
    ),
    "fr": (
        "Réseau apprenant aide à la jeunesse Gand",
        "Devenir plus forts ensemble dans les entretiens difficiles avec les parents et les jeunes.",
    ),
}


def start_act(stage: Stage) -> None:
    """The facilitator asks for help, starts the network; others try again and mistype."""
    texts = stage.texts
    stage.command(stage.facilitator_id, "help")
    stage.command(stage.facilitator_id, "start")
    stage.show_open_modal(stage.facilitator_id)
    stage.say(texts("demo.fills_in", person=stage.names[stage.facilitator_id]))
    stage.say()
    blocks = StartNetworkBlocks
    name, goal = _NETWORK[texts.language]
    stage.submit(
        stage.facilitator_id,
        {
            blocks.NAME: name,
            blocks.GOAL: goal,
            blocks.ORIGIN: "organised",
            blocks.COMPOSITION: "same_role",
            blocks.LANGUAGE: texts.language,
            blocks.TIMEZONE: DEMO_TIMEZONE,
        },
    )
    stage.command(stage.member_ids[0], "start")
    stage.command(stage.member_ids[1], "fietsen")
