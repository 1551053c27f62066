"""The demo's check-in act: the facilitator looks at the schedule and posts a poll, members answer with one
click and in writing, the poll closes and its results appear in its thread; then a meeting is planned."""

from __future__ import annotations

from typing import Any

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.views.ids import SIGN_ANSWER_OPTION
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CheckinActions
from bot.views.ids import CheckinAnswerBlocks
from bot.views.ids import MeetingPlanBlocks

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
    "fr": (
        (
            0,
            "goes_well",
            "Les échanges sur les cas : je repars chaque fois avec quelque chose d'utile.",
            False,
        ),
        (1, "goes_well", "Chacun ose partager ses doutes.", False),
        (2, "could_be_better", "Plus de temps entre les séances pour essayer les conseils.", False),
        (4, "could_be_better", "Un moment fixe pour le cas de la semaine.", True),
    ),
}
_MEETING = {
    "nl": (
        "Moeilijke gesprekken met ouders",
        "Een vader die niet komt opdagen\nGrenzen stellen bij een tiener",
    ),
    "en": (
        "Difficult conversations with parents",
        "A father who does not turn up\nSetting limits with a teenager",
    ),
    "fr": (
        "Les entretiens difficiles avec les parents",
        "Un père qui ne vient pas aux rendez-vous\nPoser des limites à un adolescent",
    ),
}


def checkins_act(stage: Stage) -> None:
    """The schedule, a poll with its reactions and written answers, its closing, and a meeting."""
    _schedule(stage)
    poll_ts = _post_poll(stage)
    _react(stage, poll_ts)
    _answer(stage, poll_ts)
    stage.facilitator_types("checkins.demo.closes", "peiling sluiten", "poll close")
    _plan_meeting(stage)


def _schedule(stage: Stage) -> None:
    """The facilitator looks at the schedule's modal and closes it unchanged."""
    facilitator = stage.facilitator_id
    stage.facilitator_types("checkins.demo.plans", "peiling planning", "poll schedule")
    stage.show_open_modal(facilitator)
    stage.emulator.close_view(facilitator, clear=True)
    stage.say()


def _post_poll(stage: Stage) -> str:
    """The facilitator posts a poll by hand; its ts."""
    stage.facilitator_types("checkins.demo.posts", "peiling", "poll")
    return str(stage.bot_messages()[-1]["ts"])


def _react(stage: Stage, poll_ts: str) -> None:
    """Members answer with one click on an emoji; the last one changes their mind."""
    for index, emoji in (*_REACTIONS, _CHANGE_OF_MIND):
        user_id = stage.member_ids[index]
        key = "checkins.demo.changes" if (index, emoji) == _CHANGE_OF_MIND else "checkins.demo.reacts"
        stage.say(stage.texts(key, person=stage.names[user_id], emoji=emoji))
        stage.emulator.add_reaction(CHANNEL_ID, poll_ts, emoji, user_id)
        stage.bot.send_event(stage.driver.reaction_added(user_id, emoji, CHANNEL_ID, poll_ts))


def _answer(stage: Stage, poll_ts: str) -> None:
    """Members write what goes well and what could be better; one signs their answer."""
    texts = stage.texts
    for index, question, text, signed in _ANSWERS[texts.language]:
        user_id = stage.member_ids[index]
        action_id = (
            CheckinActions.WRITE_GOES_WELL
            if question == "goes_well"
            else CheckinActions.WRITE_COULD_BE_BETTER
        )
        title = texts(f"checkins.answer.title_{question}")
        key = "checkins.demo.signs" if signed else "checkins.demo.writes"
        stage.say(texts(key, person=stage.names[user_id], question=title, text=text))
        stage.click(user_id, action_id, message_ts=poll_ts)
        values: dict[str, dict[str, Any]] = {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: text}}
        if signed:
            values[CheckinAnswerBlocks.SIGN] = {VALUE_ACTION: [SIGN_ANSWER_OPTION]}
        stage.bot.submit_view(user_id, values)
    stage.say()


def _plan_meeting(stage: Stage) -> None:
    facilitator = stage.facilitator_id
    stage.facilitator_types("checkins.demo.plans_meeting", "sessie", "session")
    stage.show_open_modal(facilitator)
    topic, cases = _MEETING[stage.texts.language]
    stage.submit(facilitator, {MeetingPlanBlocks.TOPIC: topic, MeetingPlanBlocks.CASES: cases})
    stage.say()
