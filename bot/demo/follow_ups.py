"""The demo's follow-up act: three weeks after closing her case, Joke is asked privately what she did
with the advice; her answer reaches the case's thread and her advisers, and the lessons gather it."""

from __future__ import annotations

from datetime import timedelta

from bot import jobs
from bot.demo.stage import Stage
from bot.services.follow_ups import LOOK_BACK_AFTER
from bot.views.ids import VALUE_ACTION
from bot.views.ids import FollowUpActions
from bot.views.ids import FollowUpAnswerBlocks

ANSWERS = {
    "nl": "Ik belde de ouders zelf en liet de jongere mee uitnodigen: twee van de drie gezinnen kwamen.",
    "en": "I phoned the parents myself and had the young person invite them too: two of three families came.",
    "fr": "J'ai appelé les parents moi-même et le jeune les a invités avec moi : deux familles sur trois "
    "sont venues.",
}


def follow_ups_act(stage: Stage) -> None:
    """The clock moves three weeks on; the timed work asks Joke; she answers; the lessons show it."""
    texts, owner = stage.texts, stage.member_ids[0]
    if stage.clock is None or stage.bot.runtime is None:
        return
    stage.say(texts("follow_ups.demo.weeks_later"))
    stage.clock.advance(LOOK_BACK_AFTER + timedelta(days=1))
    jobs.sweep(stage.bot.runtime.scheduling.runtime)
    stage.bot.settle()
    direct = stage.emulator.dm_channel_id(owner)
    question = stage.emulator.messages(direct)[-1]
    stage.say(texts("follow_ups.demo.asked", person=stage.names[owner]))
    stage.show_message(question)
    outcome = "helped"
    stage.say(
        texts(
            "follow_ups.demo.answers",
            person=stage.names[owner],
            button=texts(f"follow_ups.outcome.{outcome}"),
        )
    )
    stage.driver.block_action(
        user_id=owner,
        action_id=f"{FollowUpActions.ANSWER}:{outcome}",
        channel_id=direct,
        message_ts=question["ts"],
    )
    stage.bot.settle()
    stage.bot.submit_view(
        owner,
        {
            FollowUpAnswerBlocks.OUTCOME: {VALUE_ACTION: outcome},
            FollowUpAnswerBlocks.ANSWER: {VALUE_ACTION: ANSWERS[texts.language]},
        },
    )
    stage.say(texts("follow_ups.demo.in_thread"))
    stage.say()
    stage.command(stage.member_ids[1], "lessen" if stage.dutch else "lessons")
