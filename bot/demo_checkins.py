"""The demo's check-in act: the facilitator looks at the schedule and posts a poll, members answer with one
click and in writing, the poll closes and its results appear in its thread; then a meeting is planned."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.views.ids import VALUE_ACTION, CheckinActions, CheckinAnswerBlocks, MeetingPlanBlocks

if TYPE_CHECKING:
    from bot.demo import Stage

# (member index, emoji): the last one changes their mind.
_REACTIONS = (
    (0, "grinning"),
    (1, "slightly_smiling_face"),
    (2, "grinning"),
    (3, "neutral_face"),
    (4, "grinning"),
)
_CHANGE_OF_MIND = (3, "slightly_smiling_face")

_ANSWERS = {
    "nl": (
        (0, "goes_well", "De casusbesprekingen: ik ga telkens met iets bruikbaars naar huis.", False),
        (1, "goes_well", "Iedereen durft zijn twijfels te delen.", False),
        (2, "could_be_better", "Meer tijd tussen de bijeenkomsten om tips uit te proberen.", False),
        (4, "could_be_better", "Een vaste tijd voor de casus van de week.", True),
    ),
    "en": (
        (0, "goes_well", "The case discussions: I always leave with something useful.", False),
        (1, "goes_well", "Everyone dares to share their doubts.", False),
        (2, "could_be_better", "More time between meetings to try out tips.", False),
        (4, "could_be_better", "A fixed time for the case of the week.", True),
    ),
}


def checkins_act(stage: Stage) -> None:
    from bot.demo import CHANNEL_ID as DEMO_CHANNEL_ID

    texts = stage.texts
    bot, emulator = stage.bot, stage.emulator
    facilitator = stage.facilitator_id
    assert bot.driver is not None

    stage.say(texts("checkins.demo.plans", person=stage.names[facilitator]))
    stage.command(facilitator, "peiling planning" if texts.language == "nl" else "poll schedule")
    stage.show_open_modal(facilitator)
    emulator.close_view(facilitator, clear=True)
    stage.say()

    stage.say(texts("checkins.demo.posts", person=stage.names[facilitator]))
    stage.command(facilitator, "peiling" if texts.language == "nl" else "poll")
    poll_ts = _latest_bot_message_ts(stage)

    members = stage.member_ids
    for index, emoji in (*_REACTIONS, _CHANGE_OF_MIND):
        user_id = members[index]
        key = "checkins.demo.changes" if (index, emoji) == _CHANGE_OF_MIND else "checkins.demo.reacts"
        stage.say(texts(key, person=stage.names[user_id], emoji=emoji))
        emulator.add_reaction(DEMO_CHANNEL_ID, poll_ts, emoji, user_id)
        bot.send_event(bot.driver.reaction_added(user_id, emoji, DEMO_CHANNEL_ID, poll_ts))

    for index, question, text, signed in _ANSWERS[texts.language]:
        user_id = members[index]
        action_id = (
            CheckinActions.WRITE_GOES_WELL
            if question == "goes_well"
            else CheckinActions.WRITE_COULD_BE_BETTER
        )
        title = texts(f"checkins.answer.title_{question}")
        key = "checkins.demo.signs" if signed else "checkins.demo.writes"
        stage.say(texts(key, person=stage.names[user_id], question=title, text=text))
        bot.driver.block_action(
            user_id=user_id, action_id=action_id, channel_id=DEMO_CHANNEL_ID, message_ts=poll_ts
        )
        bot.settle()
        values = {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: text}}
        if signed:
            values[CheckinAnswerBlocks.SIGN] = {VALUE_ACTION: [CheckinAnswerBlocks.SIGN_OPTION]}
        bot.submit_view(user_id, values)
    stage.say()

    stage.say(texts("checkins.demo.closes", person=stage.names[facilitator]))
    stage.command(facilitator, "peiling sluiten" if texts.language == "nl" else "poll close")

    stage.say(texts("checkins.demo.plans_meeting", person=stage.names[facilitator]))
    stage.command(facilitator, "sessie" if texts.language == "nl" else "session")
    stage.show_open_modal(facilitator)
    dutch = texts.language == "nl"
    stage.submit(
        facilitator,
        {
            MeetingPlanBlocks.TOPIC: "Moeilijke gesprekken met ouders"
            if dutch
            else "Difficult conversations with parents",
            MeetingPlanBlocks.CASES: "Een vader die niet komt opdagen\nGrenzen stellen bij een tiener"
            if dutch
            else "A father who does not turn up\nSetting limits with a teenager",
        },
    )
    stage.say()


def _latest_bot_message_ts(stage: Stage) -> str:
    from bot.demo import CHANNEL_ID as DEMO_CHANNEL_ID

    messages = [
        m for m in stage.emulator.messages(DEMO_CHANNEL_ID) if m.get("user") == stage.emulator.bot_user_id
    ]
    return str(messages[-1]["ts"])
