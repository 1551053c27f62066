"""The demo's case round: the facilitator starts a round by the gossip method with a session lead, who
moves it on step by step; a question during the open questions does not count as advice, a reply during
the gossip does."""

from __future__ import annotations

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.views.ids import CaseActions
from bot.views.ids import CaseRoundBlocks

METHOD = "gossip"
QUESTION = {
    "nl": "Weten de ouders waarover het gesprek zal gaan?",
    "en": "Do the parents know what the meeting will be about?",
    "fr": "Les parents savent-ils de quoi l'entretien va parler ?",
}


def case_round(stage: Stage, card_ts: str, *, lead: str, asker: str, gossiper: str, gossip: str) -> None:
    """The whole round, from the start modal to the post that says it is finished."""
    texts = stage.texts
    facilitator = stage.facilitator_id
    stage.click_narrated(facilitator, CaseActions.START_ROUND, "cases.button.start_round", message_ts=card_ts)
    stage.show_open_modal(facilitator)
    stage.say(
        texts("cases.demo.submits", person=stage.names[facilitator], button=texts("case_rounds.modal.submit"))
    )
    stage.say()
    stage.submit(facilitator, {CaseRoundBlocks.METHOD: METHOD, CaseRoundBlocks.LEAD: lead})
    stage.bot.settle()
    step = 0
    while (post := _current_step(stage, card_ts)) is not None:
        if step == 1:
            _reply(stage, asker, QUESTION[texts.language], card_ts)
        if step == 2:
            _reply(stage, gossiper, gossip, card_ts)
        button = (
            "case_rounds.finish" if "case_rounds.finish" in _button_keys(stage, post) else "case_rounds.next"
        )
        stage.click_narrated(lead, CaseActions.NEXT_STEP, button, message_ts=str(post["ts"]))
        step += 1


def _current_step(stage: Stage, card_ts: str) -> dict | None:
    """The round's post in the thread whose button still waits, if any."""
    for message in reversed(stage.emulator.replies(CHANNEL_ID, card_ts)):
        for block in message.get("blocks") or []:
            if any(e.get("action_id") == CaseActions.NEXT_STEP for e in block.get("elements") or []):
                return message
    return None


def _button_keys(stage: Stage, post: dict) -> set[str]:
    labels = {
        element["text"]["text"]
        for block in post.get("blocks") or []
        for element in block.get("elements") or []
        if element.get("action_id") == CaseActions.NEXT_STEP
    }
    return {key for key in ("case_rounds.next", "case_rounds.finish") if stage.texts(key) in labels}


def _reply(stage: Stage, user_id: str, text: str, card_ts: str) -> None:
    stage.say(stage.texts("cases.demo.replies", person=stage.names[user_id]))
    reply = stage.emulator.add_message(CHANNEL_ID, user_id, text, thread_ts=card_ts)
    stage.bot.send_event(stage.driver.message(user_id, CHANNEL_ID, text, card_ts, ts=reply["ts"]))
