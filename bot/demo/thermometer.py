"""The demo's thermometer act: the facilitator posts the network thermometer, members score six aspects
anonymously through its button, the facilitator closes it: the results appear in its thread, and the
facilitator reads, privately, what to try for the aspects that are low."""

from __future__ import annotations

from typing import Any

from bot.demo.stage import Stage
from bot.views.ids import VALUE_ACTION
from bot.views.ids import ThermometerActions
from bot.views.ids import ThermometerAnswerBlocks

# (member index, scores in aspect order): the group trusts the goal, hesitates to show itself vulnerable.
_SCORES = ((0, (8, 7, 7, 5, 8, 8)), (1, (7, 6, 6, 4, 7, 7)), (2, (9, 7, 6, 6, 8, 8)), (3, (8, 6, 7, 5, 7, 6)))
_STRONGER = {
    "nl": {0: "Meer casussen die echt schuren.", 2: "Een vaste check-in ronde bij de start."},
    "en": {0: "More cases that really chafe.", 2: "A fixed check-in round at the start."},
    "fr": {0: "Plus de cas qui dérangent vraiment.", 2: "Un tour de check-in fixe au début."},
}


def thermometer_act(stage: Stage) -> None:
    texts = stage.texts
    facilitator = stage.facilitator_id
    stage.facilitator_types("thermometer.demo.posts", "thermometer", "health")
    round_ts = str(stage.message_with(ThermometerActions.ANSWER)["ts"])
    for index, scores in _SCORES:
        user_id = stage.member_ids[index]
        stage.say(texts("thermometer.demo.answers", person=stage.names[user_id]))
        stage.click(user_id, ThermometerActions.ANSWER, message_ts=round_ts)
        values: dict[str, dict[str, Any]] = {
            block: {VALUE_ACTION: str(score)}
            for block, score in zip(ThermometerAnswerBlocks.ASPECTS, scores, strict=True)
        }
        stronger = _STRONGER[texts.language].get(index, "")
        values[ThermometerAnswerBlocks.STRONGER] = {VALUE_ACTION: stronger}
        stage.bot.submit_view(user_id, values)
    stage.facilitator_types("thermometer.demo.closes", "thermometer sluiten", "health close")
    stage.bot.settle()
    stage.say(texts("thermometer.demo.suggestions", person=stage.names[facilitator]))
    for message in stage.emulator.messages(stage.emulator.dm_channel_id(facilitator))[-1:]:
        stage.show_message(message)
    stage.say()
