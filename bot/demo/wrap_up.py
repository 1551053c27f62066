"""The demo's closing act: the facilitator closes the network; members look back on the learning goals,
say what they take away and tell a value story; two weeks later the harvest is posted and the network is
archived."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import jobs
from bot.demo.stage import Stage
from bot.services.wrap_up import DEFAULT_PERIOD
from bot.views.ids import VALUE_ACTION
from bot.views.ids import LookBackBlocks
from bot.views.ids import WrapUpActions

# Per member: their levels on the goals, in the modal's order (the same in every language).
_LEVELS = (("4", "3", "4", "2", "3"), ("3", "4", "2", "4", "4"), ("5", "3", "3", "3", "2"))
# Per member, in each language: their closing round and their story (shared), if they tell one.
_WORDS: dict[str, tuple[tuple[str, tuple[str, str, str] | None], ...]] = {
    "nl": (
        (
            "Eerst vragen stellen, pas dan raad geven.",
            (
                "Drie intervisierondes met de incidentmethode.",
                "Ik bel ouders nu zelf op in plaats van een brief te sturen.",
                "Meer ouders op gesprek, en ons team neemt de aanpak over.",
            ),
        ),
        ("Kwetsbaar zijn in de groep maakt het leren echt.", None),
        ("Een netwerk buiten mijn organisatie houdt me scherp.", None),
    ),
    "en": (
        (
            "Ask questions first, give advice only then.",
            (
                "Three peer-consultation rounds with the incident method.",
                "I phone parents myself now instead of sending a letter.",
                "More parents come to talk, and our team takes the approach over.",
            ),
        ),
        ("Being vulnerable in the group makes the learning real.", None),
        ("A network outside my organisation keeps me sharp.", None),
    ),
    "fr": (
        (
            "D'abord poser des questions, ensuite seulement conseiller.",
            (
                "Trois tours d'intervision avec la méthode de l'incident.",
                "J'appelle maintenant les parents moi-même au lieu d'envoyer une lettre.",
                "Plus de parents viennent en parler, et notre équipe reprend l'approche.",
            ),
        ),
        ("Oser être vulnérable dans le groupe rend l'apprentissage réel.", None),
        ("Un réseau en dehors de mon organisation me garde en éveil.", None),
    ),
}


def wrap_up_act(stage: Stage) -> None:
    texts, facilitator = stage.texts, stage.facilitator_id
    runtime = stage.bot.runtime
    if stage.clock is None or runtime is None:
        return
    stage.command(facilitator, "afsluiten" if stage.dutch else "wrap-up")
    stage.show_open_modal(facilitator)
    stage.bot.submit_view(facilitator, {})
    announcement = stage.message_with(WrapUpActions.LOOK_BACK)
    stage.show_message(announcement)
    stage.say()
    for index, (levels, (lesson, story)) in enumerate(zip(_LEVELS, _WORDS[texts.language], strict=True)):
        user_id = stage.member_ids[index]
        stage.say(texts("wrap_up.demo.looks_back", person=stage.names[user_id]))
        stage.click(user_id, WrapUpActions.LOOK_BACK, message_ts=str(announcement["ts"]))
        stage.bot.submit_view(user_id, _look_back(stage, user_id, levels, lesson, story))
    stage.say()
    stage.say(texts("wrap_up.demo.weeks_later"))
    stage.clock.advance(DEFAULT_PERIOD + timedelta(days=1))
    context = jobs.context_of(runtime.scheduling.runtime)
    if context is not None:
        jobs.run_wrap_ups(context)
    stage.bot.settle()
    stage.show_message(stage.message_with_text(texts("wrap_up.harvest.header")))
    stage.say()


def _look_back(
    stage: Stage, user_id: str, levels: tuple[str, ...], lesson: str, story: tuple[str, str, str] | None
) -> dict[str, dict[str, Any]]:
    """The look-back as the member fills it in: a level for each goal the modal asks about."""
    view = stage.emulator.open_view(user_id) or {}
    goal_blocks = [
        str(block["block_id"])
        for block in view.get("blocks", [])
        if str(block.get("block_id", "")).startswith(LookBackBlocks.GOAL_PREFIX)
    ]
    values: dict[str, dict[str, Any]] = {
        block_id: {VALUE_ACTION: level} for block_id, level in zip(goal_blocks, levels, strict=False)
    }
    values[LookBackBlocks.LESSON] = {VALUE_ACTION: lesson}
    if story is not None:
        for block_id, text in zip(
            (LookBackBlocks.TOOK_PART, LookBackBlocks.DID_DIFFERENTLY, LookBackBlocks.YIELDED),
            story,
            strict=True,
        ):
            values[block_id] = {VALUE_ACTION: text}
        values[LookBackBlocks.SHARE] = {VALUE_ACTION: [LookBackBlocks.SHARE_OPTION]}
    return values
